"""Settings: one home for every knob, read from ``ROGRAPH_*`` environment variables.

Each setting is a field of :class:`Settings` with its default and its documentation next to
it; ``rograph settings`` prints the table (and the README carries a copy). CLI flags override
the environment by passing keyword overrides to :meth:`Settings.from_env`, so there is exactly
one way a value gets in: default < environment < flag.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "ROGRAPH_"
#: The HTTP fronts ``rograph serve`` can run (``ROGRAPH_SERVER``).
SERVERS = ("waitress", "gunicorn")


def _setting(
    default: Any, doc: str, *, least: float | None = None, most: float | None = None, choices: tuple[str, ...] = ()
) -> Any:
    """A field with its documentation and the values it accepts (a number's bounds, a word's choices)."""
    return field(default=default, metadata={"doc": doc, "least": least, "most": most, "choices": choices})


class SettingError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """All of rograph's configuration. Field ``x`` is read from ``ROGRAPH_X``."""

    project_dir: Path = _setting(
        Path("."), "Folder holding ontology/, data/, shapes/ and queries/ (the project's sources)."
    )
    var_dir: Path = _setting(
        Path("var"),
        "Folder for built stores, dumps and caches; relative paths are under the project folder.",
    )
    host: str = _setting("127.0.0.1", "Address the server listens on.")
    port: int = _setting(8000, "Port the server listens on.", least=1, most=65535)
    workers: int = _setting(
        4,
        "Server worker processes, and as many query executor processes (each runs one query at a "
        "time, shares the store with the others copy-on-write or opens it on disk; see docs/serving.md).",
        least=1,
    )
    server: str = _setting(
        "waitress",
        "The HTTP front: waitress (reads whole requests and buffers answers off the worker "
        "threads, so slow clients hold none; see docs/serving.md) or gunicorn (sync workers, "
        "one connection each: only behind a buffering proxy).",
        choices=SERVERS,
    )
    threads: int = _setting(
        8,
        "Request threads per worker process (waitress). The threads run no queries: they wait on "
        "the query executors, so a worker needs enough of them that a few long queries do not "
        "hold all of its threads while cheap requests queue behind them.",
        least=1,
    )
    query_timeout: float = _setting(30.0, "Seconds a SPARQL query may run before it is stopped and answered with 503.")
    max_response_bytes: int = _setting(256 * 1024 * 1024, "Largest response body the SPARQL endpoint sends, in bytes.")
    service_allowlist: tuple[str, ...] = _setting(
        (),
        "Space-separated endpoint IRIs a query may name in SERVICE; empty means federation is off.",
    )
    public_url: str = _setting(
        "",
        "The server's own address (e.g. https://data.example.org/rograph/) that published "
        "IRIs map to, used for every absolute link; empty means relative links (or ROGRAPH_ALLOWED_HOSTS).",
    )
    allowed_hosts: tuple[str, ...] = _setting(
        (),
        "Space-separated Host names (with :port if not 80/443) that links may be built from when "
        "ROGRAPH_PUBLIC_URL is empty; any other Host gets relative links.",
    )
    memory_budget: int = _setting(
        1024 * 1024 * 1024,
        "Bytes the store may take in memory across the server's processes; a dataset too large "
        "for it is served from its on-disk copy instead (see docs/serving.md).",
    )
    cache_bytes: int = _setting(64 * 1024 * 1024, "Memory per worker for answers to repeated identical queries.")
    rate_limit: str = _setting(
        "120/minute;3000/hour",
        "Requests a client may make, e.g. 120/minute;3000/hour (answered with 429 and Retry-After "
        "beyond it); empty turns rate limiting off.",
    )
    rate_limit_loopback: bool = _setting(
        False, "Apply the rate limit to loopback clients too (off: local use is never limited)."
    )
    rate_limit_storage: str = _setting(
        "",
        "Where the rate-limit counters live, shared by all workers: empty for a SQLite file in the var "
        "folder (one machine), or a limits storage URL such as redis://host:6379 (several machines).",
    )
    client_queries: int = _setting(
        2,
        "Queries one client may have running at once, over all workers; more are answered with 429.",
        least=1,
    )
    client_query_seconds: float = _setting(
        60.0,
        "Seconds of query execution one client may use per minute, over all workers (the Wikidata Query "
        "Service allows 60); beyond it queries are answered with 429 and Retry-After.",
    )
    query_memory: int = _setting(
        2 * 1024 * 1024 * 1024,
        "Bytes of memory one query may allocate; a query that needs more is stopped with an error and its "
        "executor replaced. The default fits 24 GiB with the default workers (see docs/serving.md).",
    )
    executor_socket: str = _setting(
        "", "Set by rograph serve for its HTTP workers: the unix socket of the query executor pool."
    )
    proxy_hops: int = _setting(0, "Reverse proxies in front whose X-Forwarded-For to trust for the client's address.")
    max_request_bytes: int = _setting(
        1024 * 1024, "Largest request body accepted (a POSTed query), in bytes; larger is 413."
    )
    store: str = _setting(
        "",
        "The store to serve from: empty or oxigraph:PATH for the embedded pyoxigraph store (PATH "
        "replaces ROGRAPH_VAR_DIR), or the http(s) URL of a remote SPARQL 1.1 query endpoint.",
    )
    store_update: str = _setting("", "A remote store's SPARQL 1.1 Update endpoint (for rograph publish).")
    store_gsp: str = _setting(
        "", "A remote store's Graph Store Protocol endpoint (for rograph publish; preferred over updates)."
    )
    store_user: str = _setting("", "User name for a remote store's HTTP basic authentication.")
    store_password: str = field(
        default="", repr=False, metadata={"doc": "Password for a remote store (never printed or logged)."}
    )
    log_level: str = _setting(
        "INFO", "Logging level (DEBUG, INFO, WARNING, ERROR).", choices=("DEBUG", "INFO", "WARNING", "ERROR")
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``) and explicit overrides.

        Overrides whose value is ``None`` are ignored, so CLI options that were not given
        leave the environment's value in place. Raises :class:`SettingError` naming the
        variable or option whose value cannot be used.
        """
        return cls.in_effect(environ, **overrides)[0]

    @classmethod
    def in_effect(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> tuple[Settings, dict[str, str]]:
        """The settings (as :meth:`from_env`) and where each value came from: ``default``,
        ``environment`` or ``flag --name``; what ``rograph settings`` shows."""
        environ = os.environ if environ is None else environ
        unknown = set(overrides) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        origins: dict[str, str] = {}
        for f in dataclasses.fields(cls):
            name = ENV_PREFIX + f.name.upper()
            flag = "--" + f.name.replace("_", "-")
            if overrides.get(f.name) is not None:
                values[f.name] = _coerce(f, overrides[f.name], f"option {flag}")
                origins[f.name] = f"flag {flag}"
            elif name in environ:
                values[f.name] = _coerce(f, environ[name], f"environment variable {name}")
                origins[f.name] = "environment"
            else:
                origins[f.name] = "default"
        settings = cls(**values)
        if settings.store.startswith("oxigraph:"):
            settings = dataclasses.replace(settings, var_dir=Path(settings.store[len("oxigraph:") :]))
            origins["var_dir"] = origins["store"]
        elif settings.store and not settings.store.startswith(("http://", "https://")):
            raise SettingError(
                f"ROGRAPH_STORE / --store: {settings.store!r} is neither oxigraph:PATH nor an http(s) URL"
            )
        # Absolute, so that nothing downstream resolves it against another folder (Flask resolves
        # relative paths against the package: every dump was a 500 with the defaults). The
        # project folder stays as given: reports name files relative to it.
        var_dir = settings.var_dir if settings.var_dir.is_absolute() else settings.project_dir / settings.var_dir
        return dataclasses.replace(settings, var_dir=var_dir.resolve()), origins

    @classmethod
    def documentation(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) for every setting, in declaration order."""
        rows = []
        for f in dataclasses.fields(cls):
            default = f.default
            shown = " ".join(default) if isinstance(default, tuple) else str(default)
            if f.name == "store_password":
                shown = ""
            rows.append((ENV_PREFIX + f.name.upper(), shown, f.metadata["doc"]))
        return rows


_KINDS = {bool: "yes or no (1, true, yes, on / 0, false, no, off)", int: "a whole number", float: "a number"}


def _coerce(f: dataclasses.Field, raw: Any, where: str) -> Any:
    kind: type = type(f.default)
    if isinstance(raw, kind) and kind is not str:
        return _checked(f, raw, where)
    text = str(raw).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(text)
        value: int | float | str
        if kind is int:
            value = int(text)
        elif kind is float:
            value = float(text)
        elif kind is tuple:
            return tuple(raw) if isinstance(raw, (list, tuple)) else tuple(text.split())
        elif issubclass(kind, Path):
            return Path(text)
        else:
            value = text
    except ValueError:
        raise SettingError(f"{where}: {text!r} is not {_KINDS.get(kind, 'a ' + kind.__name__)}") from None
    return _checked(f, value, where)


def _checked(f: dataclasses.Field, value: Any, where: str) -> Any:
    """``value`` if the field accepts it; else a :class:`SettingError` saying what it accepts."""
    least, most, choices = (f.metadata.get(key) for key in ("least", "most", "choices"))
    if choices:
        # Any case is accepted; the value kept is the choice as spelled in the table.
        spelled = next((choice for choice in choices if choice.upper() == str(value).upper()), None)
        if spelled is None:
            raise SettingError(f"{where}: {value!r} is not one of {', '.join(choices)}")
        value = spelled
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        least = 0 if least is None else least
        if value < least or (most is not None and value > most):
            bounds = f"between {least:g} and {most:g}" if most is not None else f"at least {least:g}"
            raise SettingError(f"{where}: {str(value)!r} must be {bounds}")
    return value
