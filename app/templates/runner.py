"""Run template work (the check, the render) in a child process with hard limits.

A template is a program an administrator wrote; the parent never runs it. The child applies its
limits to itself before it reads the job, so the limits hold from the first template byte:

- memory: `resource.RLIMIT_AS` on POSIX; on Windows the child puts itself in a Job Object with a
  per-process commit limit (`JOB_OBJECT_LIMIT_PROCESS_MEMORY`), so an allocation past the cap
  fails there too (Python raises MemoryError, or the process dies);
- output: `RLIMIT_FSIZE` on POSIX (a larger write fails); on every system the parent also
  measures the file the child wrote and the bytes it sends back;
- time: the parent waits `wall_s` seconds of wall time, then kills the child (`RLIMIT_CPU` is a
  second stop on POSIX), whatever it is doing — including a long C call such as a huge
  `wordwrap`, which a thread-based deadline cannot interrupt.

The job and its result travel as pickles over the child's stdin/stdout: `(module:function,
args)` in, `("ok", value)` or `("error", exception)` out. User errors (app.errors.UserError)
come back as they are; anything else becomes a Vietnamese line, never English exception text.

How the child starts: from source `python -m app <CHILD_FLAG>`; frozen (PyInstaller, which ships
no multiprocessing) the program's own executable with `<CHILD_FLAG>` — launch.py hands
that argument to `child_main()` before anything else is imported.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.export.word import TemplateRenderError

CHILD_FLAG = "--cchc-template-child"
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    wall_s: float = 10.0
    memory_mb: int = 320  # the child's whole address space (POSIX) / commit charge (Windows)
    output_mb: int = 40  # largest file the child may write (the exported .docx)
    result_mb: int = 8  # largest answer it may send back


DEFAULT_LIMITS = Limits()


class TemplateLimitError(TemplateRenderError):
    """Template work broke a limit (time, memory, output) and was stopped; one Vietnamese line."""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------------ the parent side


def child_command(function: str, limits: Limits) -> list[str]:
    """The child's command line: the limits and the module to load travel as arguments, so the
    child applies them and imports the (trusted) module while the parent prepares the job."""
    tail = [CHILD_FLAG, function, repr(limits.wall_s), str(limits.memory_mb),
            str(limits.output_mb)]
    if getattr(sys, "frozen", False):
        return [str(frozen_child_executable()), *tail]
    return [sys.executable, "-m", "app", *tail]


def frozen_child_executable() -> Path:
    """In the PyInstaller bundle: the console executable `cchc` beside the running one (its
    standard streams are always the pipes it is given, even when the windowed editor starts
    it), else the running executable itself. Both run launch.py, which hands
    CHILD_FLAG to child_main() first (the bundle has no multiprocessing, on purpose)."""
    here = Path(sys.executable)
    console = here.with_name("cchc" + here.suffix)
    return console if console.is_file() else here


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        # the child imports the same `app` package as this process, wherever it was started from
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


class LimitedCall:
    """`module:function` in a limited child process. The child starts at construction (so its
    start-up overlaps the caller's own work); `result(*args)` sends the arguments and waits."""

    def __init__(self, function: str, limits: Limits = DEFAULT_LIMITS, what: str = "mẫu"):
        self.function, self.limits, self.what = function, limits, what
        flags = 0
        if sys.platform == "win32":
            flags = subprocess.CREATE_NO_WINDOW  # type: ignore[attr-defined]
        try:
            self.proc = subprocess.Popen(
                child_command(function, limits), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=_child_env(), creationflags=flags)
        except OSError as exc:
            raise TemplateLimitError(
                f"Không khởi động được tiến trình chạy {what} ({exc.strerror or exc}).") from None

    def cancel(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        if self.proc.stdin is not None and self.proc.stdin.closed:
            self.proc.stdin = None  # communicate() would flush it
        self.proc.communicate()

    def send(self, *args: Any) -> None:
        """Hand the child its arguments; it works while the caller does something else, until
        `wait()`."""
        job = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        self._deadline = time.monotonic() + self.limits.wall_s
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(job)
            self.proc.stdin.close()
        except OSError:
            pass  # the child has died (a broken pipe): wait() reports why
        except BaseException:
            self.cancel()
            raise
        finally:
            self.proc.stdin = None  # communicate() in wait() reads only

    def wait(self) -> Any:
        """The child's result (after `send`); its UserError is raised here, a breach raises
        TemplateLimitError naming the limit."""
        limits, what, proc = self.limits, self.what, self.proc
        try:
            out, err = proc.communicate(timeout=max(0.0, self._deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.cancel()
            raise TemplateLimitError(
                f"{_cap(what)} chạy quá {limits.wall_s:g} giây nên đã bị dừng (có thể do "
                "vòng lặp quá lớn hoặc tạo ra quá nhiều chữ).") from None
        except BaseException:
            self.cancel()
            raise
        if len(out) > limits.result_mb * MB:
            raise TemplateLimitError(f"{_cap(what)} trả về quá nhiều dữ liệu nên đã bị dừng.")
        if proc.returncode == 0 and out:
            try:
                status, value = pickle.loads(out)
            except Exception:  # noqa: BLE001 - a truncated answer is a failure of the child
                status, value = "broken", None
            if status == "ok":
                return value
            if status == "error" and isinstance(value, UserError):
                raise value
        raise TemplateLimitError(_death_cause(proc.returncode, err, limits, what))

    def result(self, *args: Any) -> Any:
        """Send the arguments and wait for the result."""
        self.send(*args)
        return self.wait()


_spares: dict[tuple[str, Limits], LimitedCall] = {}
_spares_lock = threading.Lock()


def prestart(function: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Start a child for `function` now (it applies its limits and imports its modules, then
    waits), so that the next call pays no start-up: when an export dialog opens, when a command
    begins. An unused spare ends by itself when this process ends (its stdin closes)."""
    with _spares_lock:
        spare = _spares.get((function, limits))
        if spare is None or spare.proc.poll() is not None:
            _spares[(function, limits)] = LimitedCall(function, limits)


def limited_call(function: str, limits: Limits = DEFAULT_LIMITS, what: str = "mẫu") -> LimitedCall:
    """A started child for `function`: the spare when one waits, else a new one."""
    with _spares_lock:
        spare = _spares.pop((function, limits), None)
    if spare is not None and spare.proc.poll() is None:
        spare.what = what
        return spare
    return LimitedCall(function, limits, what)


def run_limited(function: str, *args: Any, limits: Limits = DEFAULT_LIMITS,
                what: str = "mẫu") -> Any:
    """Call `module:function(*args)` in a limited child process and return its result; the
    child's UserError is raised here; a breach raises TemplateLimitError naming the limit."""
    return limited_call(function, limits, what).result(*args)


def _death_cause(code: int, err: bytes, limits: Limits, what: str) -> str:
    import signal

    text = err.decode("utf-8", "replace")
    if code == -getattr(signal, "SIGXCPU", -999) and "MemoryError" not in text:
        return (f"{_cap(what)} chạy quá {limits.wall_s:g} giây nên đã bị dừng (có thể do "
                "vòng lặp quá lớn).")
    if code == -getattr(signal, "SIGXFSZ", -999):
        return (f"{_cap(what)} tạo ra tệp lớn hơn {limits.output_mb} MB nên đã bị dừng.")
    if "Traceback" in text and "MemoryError" not in text:  # it failed by itself
        return f"{_cap(what)} gặp lỗi ngoài dự kiến; hãy gửi tệp mẫu cho bộ phận kỹ thuật."
    return (f"{_cap(what)} dùng quá {limits.memory_mb} MB bộ nhớ (hoặc tạo ra văn bản quá "
            "lớn) nên đã bị dừng.")


# ------------------------------------------------------------------ the child side


def _limit_posix(limits: Limits) -> None:
    import resource
    import signal

    def cap(which: int, value: int) -> None:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, hard))

    cap(resource.RLIMIT_AS, limits.memory_mb * MB)
    cap(resource.RLIMIT_FSIZE, limits.output_mb * MB)
    cap(resource.RLIMIT_CPU, int(limits.wall_s) + 2)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG


def _job_structures():
    """The ctypes layout of JOBOBJECT_EXTENDED_LIMIT_INFORMATION (winnt.h), usable anywhere so
    that its size can be tested off Windows (144 bytes on 64-bit Windows)."""
    import ctypes

    class IoCounters(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint64) for name in (
            "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
            "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

    class BasicLimits(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", ctypes.c_uint32),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", ctypes.c_uint32),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", ctypes.c_uint32),
            ("SchedulingClass", ctypes.c_uint32),
        ]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", BasicLimits),
            ("IoInfo", IoCounters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    return ExtendedLimits


JOB_OBJECT_LIMIT_PROCESS_TIME = 0x00000002
JOB_OBJECT_LIMIT_ACTIVE_PROCESS = 0x00000008
JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x00000400
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9


def _job_limits(limits: Limits):
    info = _job_structures()()
    basic = info.BasicLimitInformation
    basic.LimitFlags = (JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
                        | JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_PROCESS_TIME
                        | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION)
    basic.ActiveProcessLimit = 1  # the template child may not start other programs
    basic.PerProcessUserTimeLimit = int((limits.wall_s + 2) * 10_000_000)  # 100 ns units
    info.ProcessMemoryLimit = limits.memory_mb * MB
    return info


def _limit_windows(limits: Limits) -> None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
    kernel32.SetInformationJobObject.restype = wintypes.BOOL
    kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p,
                                                 wintypes.DWORD]
    kernel32.AssignProcessToJobObject.restype = wintypes.BOOL
    kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        raise OSError(ctypes.get_last_error(), "CreateJobObjectW")
    info = _job_limits(limits)
    if not kernel32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
                                            ctypes.byref(info), ctypes.sizeof(info)):
        raise OSError(ctypes.get_last_error(), "SetInformationJobObject")
    if not kernel32.AssignProcessToJobObject(job, kernel32.GetCurrentProcess()):
        raise OSError(ctypes.get_last_error(), "AssignProcessToJobObject")
    # the handle stays open for the life of the process: closing it would end the job


def apply_limits(limits: Limits) -> None:
    if sys.platform == "win32":
        _limit_windows(limits)
    else:
        _limit_posix(limits)


def _answer(payload: tuple) -> None:
    """Write the answer on file descriptor 1 (not sys.stdout, which a windowed frozen program
    may not have)."""
    data = memoryview(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    while data:
        data = data[os.write(1, data):]


def _read_job() -> bytes:
    chunks = []
    while chunk := os.read(0, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _as_user_error(exc: BaseException, limits: Limits) -> UserError:
    """What the parent reports for a failure in the child: user errors as they are, limits
    by name, anything else as one Vietnamese line (its traceback on the child's stderr)."""
    import errno

    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, MemoryError):
        return TemplateLimitError(f"Mẫu dùng quá {limits.memory_mb} MB bộ nhớ (hoặc tạo ra văn "
                                  "bản quá lớn) nên đã bị dừng.")
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return TemplateLimitError(f"Mẫu tạo ra tệp lớn hơn {limits.output_mb} MB nên đã bị dừng.")
    if isinstance(exc, RecursionError):
        return TemplateLimitError("Mẫu lồng nhau quá sâu (thẻ trong thẻ, bảng trong bảng) nên đã "
                                  "bị dừng.")
    import traceback

    if sys.stderr is not None:
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    # the details (in English) stay on the child's stderr; the user reads one Vietnamese line
    return TemplateLimitError("Xử lý mẫu gặp lỗi ngoài dự kiến; hãy gửi tệp mẫu cho bộ phận kỹ "
                              "thuật.")


def child_main() -> None:
    """Entry point of the child (`CHILD_FLAG function wall_s memory_mb output_mb`): limits
    first, then the module, then the job from stdin; exits without interpreter teardown."""
    limits = DEFAULT_LIMITS
    try:
        function = sys.argv[2]
        limits = Limits(float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        apply_limits(limits)
        import importlib

        module_name, _, name = function.partition(":")
        module = importlib.import_module(module_name)
        target = getattr(module, name)
        preload = getattr(module, "child_preload", None)
        if preload is not None:
            preload()  # imports, while the parent prepares the job
        job = _read_job()
        if not job:  # a spare nobody used: its parent has ended
            os._exit(0)
        args = pickle.loads(job)
        payload: tuple = ("ok", target(*args))
    except BaseException as exc:  # noqa: BLE001 - every failure is one line for the parent
        payload = ("error", _as_user_error(exc, limits))
    try:
        _answer(payload)
    except MemoryError:
        os._exit(3)
    except Exception:  # noqa: BLE001 - an answer that cannot be pickled is a failure
        _answer(("error", TemplateLimitError("Xử lý mẫu trả về kết quả không đọc được.")))
    if sys.stderr is not None:
        sys.stderr.flush()
    os._exit(0)
