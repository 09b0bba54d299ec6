//! A class from start to end: graded, resumed, sharded, merged, and shown as a dashboard.

use super::*;

#[test]
fn a_class_is_graded_resumed_sharded_merged_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let submissions = dir.path().join("submissions");
    class(&submissions);
    let single = dir.path().join("single");
    let roster_file = dir.path().join("roster.csv");
    roster(&roster_file);
    let summaries = [
        "--similarity",
        "--roster",
        roster_file.to_str().unwrap(),
        "--assignment",
        "Async, \"Rust\" =1",
        "--canvas-assignment-id",
        "4242",
    ];

    let (code, stdout, stderr) = grade_many(&submissions, &single, &summaries);
    // erin's empty folder could not be graded: exit 1, and her report says why.
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Graded 6 submission(s), reused 0 unchanged"),
        "{stdout}"
    );
    assert!(stdout.contains("Could not be graded (1): erin"), "{stdout}");
    assert!(
        stdout.contains(
            "Also wrote: clusters.csv, feedback/ (6 students), similarity.csv (0 pairs), canvas.csv, moodle.csv."
        ),
        "{stdout}"
    );
    // Not a terminal: one plain progress line per submission graded.
    assert_eq!(stderr.matches("grade-many: [").count(), 5, "{stderr}");
    let gradebook = std::fs::read_to_string(single.join("gradebook.csv")).unwrap();
    assert_eq!(
        gradebook,
        [
            header(),
            // `=` sorts before letters.
            row(NASTY, &[]),
            row("alice", &[]),
            // wait_n_sequential: 3 of wait_n's 7 checks fail.
            row("bob", &[("wait_n", 4.0)]),
            // say_hello does not compile: its 2 points are lost, the rest is graded.
            row("carol", &[("say_hello", 0.0)]),
            row("dave", &[]),
            zero_row("erin"),
        ]
        .concat()
    );
    let dave = student(&single, "dave");
    let notes = dave["class"]["notes"].as_str().unwrap();
    assert!(
        notes.contains("used asynclings-main/exercises/src/06_wait_n (1).rs (it is the newest)"),
        "{notes}"
    );
    assert!(!notes.contains("._06_wait_n"), "{notes}");
    let erin = student(&single, "erin");
    assert_eq!(
        erin["class"]["error"],
        "no lesson file was found in the submission"
    );
    assert!(
        erin["class"]["notes"]
            .as_str()
            .unwrap()
            .contains("Expected:")
    );
    let carol = student(&single, "carol");
    let say_hello = carol["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "say_hello");
    assert_eq!(say_hello.unwrap()["status"], "does_not_compile");
    let bob = student(&single, "bob");
    let wait_n = bob["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "wait_n")
        .unwrap();
    let headline = wait_n["headline"]
        .as_str()
        .expect("a headline for wait_n")
        .to_string();
    assert!(headline.contains("ran one after another"), "{headline}");

    // The dashboard: the headline with its student, the compile failures, names escaped.
    let dashboard = std::fs::read_to_string(single.join("dashboard.html")).unwrap();
    assert!(
        dashboard.contains(&checker::text::safe::html(&headline)),
        "{dashboard}"
    );
    assert!(dashboard.contains("1 of 6 student(s) (17%) have code that does not compile: carol."));
    // The misconceptions: bob's wait_n, with its mechanism, once per lesson.
    assert!(
        dashboard.contains("Misconceptions per lesson"),
        "{dashboard}"
    );
    let clusters = std::fs::read_to_string(single.join("clusters.csv")).unwrap();
    let wait_n = clusters
        .lines()
        .find(|l| l.contains("wait_n") && l.contains("\"bob\""))
        .unwrap_or_else(|| panic!("{clusters}"));
    assert!(wait_n.contains("ran one after another"), "{wait_n}");
    assert!(wait_n.contains("\"yes\",1,\"bob\""), "{wait_n}");

    // Grades for the LMS, with the roster's identifiers, in each one's documented columns.
    let canvas = std::fs::read_to_string(single.join("canvas.csv")).unwrap();
    let canvas_rows = checker::class::csv::parse(&canvas).unwrap();
    assert_eq!(
        canvas_rows[0],
        [
            "Student",
            "ID",
            "SIS User ID",
            "SIS Login ID",
            "Section",
            "Async, \"Rust\" =1 (4242)"
        ]
    );
    assert_eq!(canvas_rows.len(), 7, "{canvas}");
    let alice_total = row("alice", &[])
        .rsplit(',')
        .next()
        .unwrap()
        .trim()
        .to_string();
    assert!(
        canvas.contains(&format!(
            "\"Liddell, Alice\",\"\",\"S001\",\"alice\",\"A\",{alice_total}\r\n"
        )),
        "{canvas}"
    );
    // The name and section that start formulas are text in every locale's split.
    assert!(
        canvas.contains("\"'=Zoë, \"\"Ann\"\" @x;'-1+1\",\"\",\"S006\",\"zoe\",\"'@B;'=C\","),
        "{canvas}"
    );
    let moodle = std::fs::read_to_string(single.join("moodle.csv")).unwrap();
    let moodle_rows = checker::class::csv::parse(&moodle).unwrap();
    assert_eq!(
        moodle_rows[0],
        ["email", "idnumber", "username", "Async, \"Rust\" =1"]
    );
    assert_eq!(moodle_rows[6], ["erin@school.edu", "S005", "erin", "0"]);
    // Feedback to attach: bob's says what failed and why.
    let feedback = std::fs::read_to_string(single.join("feedback/bob.md")).unwrap();
    assert!(feedback.contains("ran one after another"), "{feedback}");
    assert!(single.join(format!("feedback/{NASTY}.html")).is_file());
    // Similarity: everyone handed in the course's own code or a mistake of their own.
    let similarity = std::fs::read_to_string(single.join("similarity.csv")).unwrap();
    assert!(
        similarity.starts_with("\"student_a\",\"student_b\",\"score\""),
        "{similarity}"
    );
    assert!(dashboard.contains("Similar pairs"), "{dashboard}");
    assert!(!dashboard.contains("http://") && !dashboard.contains("https://"));

    // Again: every submission is unchanged, none is graded.
    let (code, stdout, _) = grade_many(&submissions, &single, &summaries);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("Graded 0 submission(s), reused 6 unchanged"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(single.join("gradebook.csv")).unwrap(),
        gradebook
    );

    // Three shards, one after another (as three CI jobs would run them), merged.
    let mut shards = Vec::new();
    let mut graded = 0;
    for k in 1..=3 {
        let out = dir.path().join(format!("shard-{k}"));
        let (code, stdout, stderr) =
            grade_many(&submissions, &out, &["--shard", &format!("{k}/3")]);
        assert!(matches!(code, Some(0 | 1)), "{stdout}\n{stderr}");
        graded += reports(&out);
        shards.push(out);
    }
    assert_eq!(graded, 6, "each student is in exactly one shard");
    let merged = dir.path().join("merged");
    let mut args: Vec<&std::ffi::OsStr> = vec!["merge".as_ref()];
    args.extend(shards.iter().map(|s| s.as_os_str()));
    args.extend(["--out".as_ref(), merged.as_os_str()]);
    args.extend(summaries.iter().map(std::ffi::OsStr::new));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(
        std::fs::read_to_string(merged.join("gradebook.csv")).unwrap(),
        gradebook,
        "the merged gradebook is the single run's"
    );
    assert_eq!(reports(&merged), 6);
    // The shards graded again, so the delays drawn (in diagnoses) differ: numbers aside,
    // the merged summaries are the single run's.
    let mask = checker::text::numbers::mask_numbers;
    let files = [
        "clusters.csv",
        "similarity.csv",
        "canvas.csv",
        "moodle.csv",
        "feedback/alice.md",
        "feedback/carol.html",
    ];
    for file in files {
        assert_eq!(
            mask(&std::fs::read_to_string(merged.join(file)).unwrap()),
            mask(&std::fs::read_to_string(single.join(file)).unwrap()),
            "the merged {file} is the single run's"
        );
    }
    // From the same reports, a merge writes the very bytes of the run.
    let remerged = dir.path().join("remerged");
    let mut args: Vec<&std::ffi::OsStr> = vec!["merge".as_ref(), single.as_os_str()];
    args.extend(["--out".as_ref(), remerged.as_os_str()]);
    args.extend(summaries.iter().map(std::ffi::OsStr::new));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    for file in files.iter().chain(&["dashboard.html", "gradebook.csv"]) {
        assert_eq!(
            std::fs::read_to_string(remerged.join(file)).unwrap(),
            std::fs::read_to_string(single.join(file)).unwrap(),
            "{file}"
        );
    }

    // A student the roster lacks: a clear error, after everything else is written.
    let short = dir.path().join("short-roster.csv");
    write(&short, "folder,email\nalice,a@x\n");
    let again = dir.path().join("again");
    let (code, _, stderr) = run(&[
        "merge".as_ref(),
        single.as_os_str(),
        "--out".as_ref(),
        again.as_os_str(),
        "--roster".as_ref(),
        short.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("has no row for 5 submission folder(s)"),
        "{stderr}"
    );
    assert!(again.join("gradebook.csv").is_file());

    // A student in two of the folders merged is an error naming both.
    let (code, _, stderr) = run(&[
        "merge".as_ref(),
        single.as_os_str(),
        shards[0].as_os_str(),
        "--out".as_ref(),
        dir.path().join("twice").as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is in two shards"), "{stderr}");
    assert!(stderr.contains(&single.display().to_string()), "{stderr}");
    assert!(
        stderr.contains(&shards[0].display().to_string()),
        "{stderr}"
    );

    // As a person would see it: Chromium renders the page (its DOM, and a screenshot).
    let page = merged.join("dashboard.html");
    let profile = tempfile::tempdir().unwrap();
    let chromium_run = |extra: &[String]| {
        std::process::Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs")
    };
    let dom = chromium_run(&["--dump-dom".to_string()]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    for text in [
        "asynclings: the class",
        "Score distribution",
        "alice",
        "erin",
        "<svg",
    ] {
        assert!(dom.contains(text), "Chromium's DOM lacks {text:?}:\n{dom}");
    }
    let png = dir.path().join("dashboard.png");
    chromium_run(&[
        "--window-size=1100,1400".to_string(),
        format!("--screenshot={}", png.display()),
    ]);
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 1000,
        "Chromium's screenshot of the dashboard is empty ({size} bytes)"
    );
}
