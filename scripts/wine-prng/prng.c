/*
 * bcryptprimitives.dll for Wine 8: Rust's standard library (1.78 and later) fills its
 * HashMap keys and other randomness from ProcessPrng, which Windows 10 and later export from
 * bcryptprimitives.dll. Wine 8 has no ProcessPrng, so a Rust .exe stops at load time with
 * "unimplemented function bcryptprimitives.dll.ProcessPrng". This DLL, placed beside the .exe,
 * provides it through RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Only for running the tests under Wine; real Windows has its own.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length: fill larger requests in pieces. */
    while (len > 0) {
        ULONG piece = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        len -= piece;
    }
    /* Like Windows' own, which is documented never to fail. */
    return TRUE;
}
