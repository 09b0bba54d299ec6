/*
 * Test-harness shim, never shipped: Rust's standard library (1.78+) imports ProcessPrng
 * from bcryptprimitives.dll, which Debian's Wine 8 does not have, so every Rust .exe fails
 * to load (status c0000135). This forwards it to advapi32's SystemFunction036
 * (RtlGenRandom), which Wine does implement. Built by .ci/windows-wine and copied next to
 * the .exe files under Wine only.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG: feed it in chunks so any SIZE_T length is honoured. */
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE; /* the real ProcessPrng always returns TRUE */
}
