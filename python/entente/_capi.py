"""ctypes declarations of include/entente.h (the part the module uses).

The library is found, in this order, at:
  1. $ENTENTE_LIB (a path to libentente.so),
  2. a copy installed inside this package (``pip install ./python`` makes
     one when the build tree has it),
  3. the build tree of the repository this package sits in
     (<repo>/build/src/libentente.so, after ``make build``),
  4. the system (``meson install``: libentente.so.0 on the loader's path).

Every function is called through ctypes.CDLL, which releases the GIL for
the duration of the call.
"""
import ctypes
import ctypes.util
import os

c_int_p = ctypes.POINTER(ctypes.c_int)


class DiagItem(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_int),
        ("severity", ctypes.c_int),
        ("file", ctypes.c_char_p),
        ("line", ctypes.c_int),
        ("col", ctypes.c_int),
        ("msg", ctypes.c_char * 256),
    ]


class EnsembleOpts(ctypes.Structure):
    _fields_ = [
        ("runs", ctypes.c_ulong),
        ("seed", ctypes.c_ulonglong),
        ("threads", ctypes.c_int),
        ("sobol", ctypes.c_int),
        ("memory_mb", ctypes.c_double),
        ("mpi", ctypes.c_void_p),
    ]


class ScoreOpts(ctypes.Structure):
    _fields_ = [
        ("runs", ctypes.c_ulong),
        ("seed", ctypes.c_ulonglong),
        ("threads", ctypes.c_int),
        ("fit_until", ctypes.c_int),
        ("ex_ante", ctypes.c_int),
        ("cancel", c_int_p),
    ]


# ent_status values (entente.h ENT_STATUS_LIST)
OK, CONTINUE = 0, 1
EINVAL, ENOMEM, EINPUT, EIO, ENOCONV, ENOTFOUND, EINTERNAL, ECANCELED = (
    -1, -2, -3, -4, -5, -6, -7, -8)
SEV_ERROR, SEV_WARNING, SEV_NOTE = 0, 1, 2
FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV = 0, 1, 2

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_ST = ctypes.c_int
_SZ = ctypes.c_size_t
_PP = ctypes.POINTER(ctypes.c_void_p)
_BUF = ctypes.POINTER(ctypes.c_char_p)
_BUFLEN = ctypes.POINTER(ctypes.c_size_t)

# name: (restype, argtypes)
_PROTOS = {
    "ent_status_str": (_S, [_ST]),
    "ent_diag_create": (_P, []),
    "ent_diag_destroy": (None, [_P]),
    "ent_diag_count": (_SZ, [_P]),
    "ent_diag_errors": (_SZ, [_P]),
    "ent_diag_get": (ctypes.POINTER(DiagItem), [_P, _SZ]),
    "ent_diag_print_mem": (_ST, [_P, ctypes.POINTER(ctypes.c_void_p), _BUFLEN]),
    "ent_scenario_load_file": (_ST, [_S, _PP, _P]),
    "ent_scenario_load_buffer": (_ST, [_S, _S, _SZ, _PP, _P]),
    "ent_table_load_file": (_ST, [_S, _PP, _P]),
    "ent_builtin_count": (_SZ, []),
    "ent_builtin_name": (_S, [_SZ]),
    "ent_builtin_title": (_S, [_SZ]),
    "ent_builtin_text": (_S, [_S]),
    "ent_builtin_load": (_ST, [_S, _PP, _P]),
    "ent_model_destroy": (None, [_P]),
    "ent_model_id": (_S, [_P]),
    "ent_model_title": (_S, [_P]),
    "ent_model_actor_count": (_SZ, [_P]),
    "ent_model_actor_id": (_S, [_P, _SZ]),
    "ent_model_actor_name": (_S, [_P, _SZ]),
    "ent_model_issue_count": (_SZ, [_P]),
    "ent_model_issue_id": (_S, [_P, _SZ]),
    "ent_model_issue_question": (_S, [_P, _SZ]),
    "ent_model_uncertain_count": (_SZ, [_P]),
    "ent_model_write_summary_mem": (_ST, [_P, ctypes.POINTER(ctypes.c_void_p), _BUFLEN]),
    "ent_run_opts_create": (_P, []),
    "ent_run_opts_destroy": (None, [_P]),
    "ent_run_opts_set": (_ST, [_P, _S, _S, _P]),
    "ent_run_create": (_ST, [_P, _P, _PP, _P]),
    "ent_run_destroy": (None, [_P]),
    "ent_run_write_mem": (_ST, [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _BUFLEN]),
    "ent_ensemble_opts_init": (None, [ctypes.POINTER(EnsembleOpts)]),
    "ent_ensemble_create": (_ST, [_P, _P, ctypes.POINTER(EnsembleOpts), _PP, _P]),
    "ent_ensemble_set_cancel": (None, [_P, c_int_p]),
    "ent_ensemble_step": (_ST, [_P, _P]),
    "ent_ensemble_done": (ctypes.c_ulong, [_P]),
    "ent_ensemble_total": (ctypes.c_ulong, [_P]),
    "ent_ensemble_write_mem": (_ST, [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _BUFLEN]),
    "ent_ensemble_compare_write_mem": (_ST, [_P, _P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _BUFLEN]),
    "ent_ensemble_destroy": (None, [_P]),
    "ent_score_opts_init": (None, [ctypes.POINTER(ScoreOpts)]),
    "ent_scorecard_create": (_ST, [_S, ctypes.POINTER(ScoreOpts), _PP, _P]),
    "ent_scorecard_write_mem": (_ST, [_P, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), _BUFLEN]),
    "ent_scorecard_destroy": (None, [_P]),
    "ent_store_open": (_ST, [_S, ctypes.c_int, _PP, _P]),
    "ent_store_close": (None, [_P]),
    "ent_store_add_run": (_ST, [_P, _P, _P, ctypes.POINTER(ctypes.c_longlong), _P]),
    "ent_store_begin_forecast": (_ST, [_P, _P, ctypes.POINTER(ctypes.c_longlong), _P]),
    "ent_store_save_batch": (_ST, [_P, ctypes.c_longlong, _P, _P]),
    "ent_store_finish_forecast": (_ST, [_P, ctypes.c_longlong, _P, ctypes.c_int, _P]),
    "ent_buffer_free": (None, [ctypes.c_void_p]),
}


def _candidates():
    env = os.environ.get("ENTENTE_LIB")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("libentente.so.0", "libentente.so"):
        yield os.path.join(here, name)
    repo = os.path.dirname(os.path.dirname(here))
    yield os.path.join(repo, "build", "src", "libentente.so")
    yield "libentente.so.0"
    found = ctypes.util.find_library("entente")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            tried.append("%s (%s)" % (path, exc))
            if "ASan runtime" in str(exc) or "asan" in str(exc).lower():
                raise ImportError(
                    "%s is a sanitizer build: start Python with "
                    "LD_PRELOAD=$(cc -print-file-name=libasan.so)" % path
                ) from exc
    raise ImportError(
        "entente: libentente.so not found (build it with 'make build', "
        "install it with 'meson install -C build', or set ENTENTE_LIB); "
        "tried: " + "; ".join(tried))


lib = _load()
for _name, (_res, _args) in _PROTOS.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args
del _name, _res, _args, _f


def take_buffer(ptr, length):
    """Bytes of a library buffer as str; frees the buffer."""
    try:
        return ctypes.string_at(ptr, length.value).decode("utf-8")
    finally:
        lib.ent_buffer_free(ptr)


def status_str(st):
    return lib.ent_status_str(st).decode()
