/*
 * A stand-in for Windows' bcryptprimitives.dll, for running Go programs
 * under Wine 8.0 in the tests only (never shipped).
 *
 * Go's runtime (1.24 and later) takes its random bytes from ProcessPrng in
 * bcryptprimitives.dll, which Windows 10 and Wine 9 have and Wine 8.0 lacks:
 * there a Go program stops at once with "bcryptprimitives.dll not found".
 * This DLL answers ProcessPrng from RtlGenRandom (advapi32's
 * SystemFunction036), the system's own generator. The test harness builds
 * it with mingw and copies it into system32 of a throw-away Wine prefix;
 * the runtime loads it from system32 only.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG length: feed it in pieces. */
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
