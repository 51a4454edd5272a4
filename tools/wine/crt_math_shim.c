/* Wine 8.0 stand-in (tools/windows_smoke.sh): the C99 complex accessors numpy calls while it
   is imported are unimplemented stubs in wine 8.0's ucrtbase; Windows' own ucrtbase has them.
   Every other function of api-ms-win-crt-math is forwarded to ucrtbase (shim.def). */
typedef struct { float v[2]; } fcomplex;
typedef struct { double v[2]; } dcomplex;
float shim_crealf(fcomplex z) { return z.v[0]; }
float shim_cimagf(fcomplex z) { return z.v[1]; }
double shim_creal(dcomplex z) { return z.v[0]; }
double shim_cimag(dcomplex z) { return z.v[1]; }
double shim_creall(dcomplex z) { return z.v[0]; }  /* long double is double on Windows */
double shim_cimagl(dcomplex z) { return z.v[1]; }
