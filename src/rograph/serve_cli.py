"""The commands that build the data and put it to use: ``rograph build``, ``export``, ``serve``
and ``publish`` (its work is in :mod:`rograph.store.publish`)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
from pathlib import Path

import click

from rograph.cli_support import EXIT_DONE, EXIT_INCOMPLETE, check_target, fail, write_failed
from rograph.config import SERVERS, Settings
from rograph.progress import Progress
from rograph.sources import SourceError, discover, with_data
from rograph.store.build import Build, BuildRefused, ensure_build
from rograph.store.dumps import DUMP_FORMATS, dump_format


def _settings(**overrides) -> Settings:
    settings = Settings.from_env(**overrides)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return settings


def build_or_exit(settings: Settings, command: str, *, data: tuple[Path, ...] = (), validate: bool = True,
                  refused: tuple[int, str] = (1, "the sources do not validate")) -> Build:
    """The build of the project (with ``data`` in place of its data), made first if the
    sources changed; exits with the validator's report (``refused``: exit code and what it
    means), or one line (2) on a syntax error with nothing good to use or a build folder
    that cannot be written."""
    try:
        return ensure_build(with_data(discover(settings.project_dir), data), settings.var_dir, validate=validate)
    except BuildRefused as error:
        click.echo(error.report_text, err=True)
        fail(command, refused[1], refused[0])
    except SourceError as error:
        fail(command, str(error))
    except OSError as error:
        fail(command, f"cannot write the build into {settings.var_dir} (ROGRAPH_VAR_DIR / --var-dir): "
                      f"{error.filename or ''}: {error.strerror or error}")


@click.command("build")
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_PROJECT_DIR]")
@click.option("--var-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_VAR_DIR]")
def build_command(project_dir, var_dir):
    """Validate the sources and build the store, dumps and dataset description (if they changed)."""
    build = build_or_exit(_settings(project_dir=project_dir, var_dir=var_dir), "build")
    click.echo(f"serving build {build.version[:12]}: {build.quad_count} quads, built {build.built.isoformat()}")


@click.command("export")
@click.option("--format", "format_name", type=click.Choice([f.extension for f in DUMP_FORMATS]), default="nq", show_default=True,
              help="nq and trig keep the named graphs; ttl and jsonld are the union of all graphs.")
@click.option("--gzip", "compressed", is_flag=True, help="Write the gzipped dump.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_PROJECT_DIR]")
@click.option("--var-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_VAR_DIR]")
def export_command(format_name, compressed, out, project_dir, var_dir):
    """Write a dump of the whole dataset: the same file the server publishes under /dumps/."""
    check_target("export", out, "--out")
    build = build_or_exit(_settings(project_dir=project_dir, var_dir=var_dir), "export")
    name = f"dataset.{format_name}" + (".gz" if compressed else "")
    dump = next(d for d in build.dumps if d.name == name)
    file = build.dump_file(name)
    assert file is not None  # the build publishes every dump format
    try:
        shutil.copyfile(file, out)
    except OSError as error:
        write_failed("export", out, error)
    click.echo(f"{out}: {dump.triples} {'quads' if dump_format(format_name).keeps_graphs else 'triples'}, "
               f"{dump.byte_size} bytes, sha256 {dump.sha256}")


@click.command("serve")
@click.option("--host", help="[ROGRAPH_HOST, 127.0.0.1]")
@click.option("--port", type=int, help="[ROGRAPH_PORT, 8000]")
@click.option("--workers", type=int, help="[ROGRAPH_WORKERS, 4]")
@click.option("--server", type=click.Choice(SERVERS), help="The HTTP front [ROGRAPH_SERVER, waitress].")
@click.option("--threads", type=int, help="Request threads per worker (waitress) [ROGRAPH_THREADS, 8].")
@click.option("--query-timeout", type=float, help="Seconds [ROGRAPH_QUERY_TIMEOUT, 30].")
@click.option("--max-response-bytes", type=int, help="[ROGRAPH_MAX_RESPONSE_BYTES]")
@click.option("--public-url", help="The server's own address that published IRIs map to [ROGRAPH_PUBLIC_URL].")
@click.option("--store", help="oxigraph:PATH or the URL of a remote SPARQL endpoint [ROGRAPH_STORE, embedded].")
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_PROJECT_DIR, .]")
@click.option("--var-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_VAR_DIR, var]")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Serve these RDF files instead of the project's data (repeatable).")
@click.option("--no-validate", is_flag=True, help="With --data: serve the files without validating them.")
@click.option("--debug", is_flag=True, help="Flask's development server (one process) in front of the query executors.")
def serve_command(host, port, workers, server, threads, query_timeout, max_response_bytes, public_url, store, project_dir, var_dir, data, no_validate, debug):
    """Serve SPARQL and the linked-data pages, on the embedded store or a remote one.

    Builds the store first if the sources changed (validating them); if they do not validate,
    the last good build is served and the report is logged.
    """
    settings = _settings(
        host=host, port=port, workers=workers, server=server, threads=threads, query_timeout=query_timeout, max_response_bytes=max_response_bytes,
        public_url=public_url, store=store, project_dir=project_dir, var_dir=var_dir,
    )
    from rograph.executor import PoolFailed, PoolStore, start_pool
    from rograph.web import create_app

    _check_address_free(settings)
    build = build_or_exit(settings, "serve", data=data, validate=not (data and no_validate),
                           refused=(2, "the sources do not validate and there is no earlier build to serve"))
    try:
        pool = start_pool(settings, build)
    except PoolFailed as error:
        fail("serve", str(error))
    try:
        for problem in pool.problems:
            logging.getLogger("rograph.store").warning("%s", problem)
        # For a front that starts fresh interpreters rather than forking this one.
        os.environ["ROGRAPH_EXECUTOR_SOCKET"] = pool.socket_path
        served = PoolStore(build, pool.socket_path, max_response_bytes=settings.max_response_bytes,
                           query_timeout=settings.query_timeout)
        app = create_app(settings, served)
        if debug:
            app.run(host=settings.host, port=settings.port, debug=True, use_reloader=False)
            return
        from rograph.serve import serve

        serve(settings, app)
    finally:
        pool.stop()


def _check_address_free(settings: Settings) -> None:
    """Exit with one line if the server could not listen where it is told to: before the
    build, and instead of the server's own retries and a dozen log lines."""
    try:
        with socket.create_server((settings.host, settings.port)):
            pass
    except OSError as error:
        fail("serve", f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error} "
                      "(another server there? choose another with --port or ROGRAPH_PORT)")


@click.command("publish")
@click.option("--to", "store", help="The store's SPARQL query endpoint [ROGRAPH_STORE].")
@click.option("--update", "store_update", help="Its SPARQL Update endpoint [ROGRAPH_STORE_UPDATE].")
@click.option("--gsp", "store_gsp", help="Its Graph Store Protocol endpoint [ROGRAPH_STORE_GSP].")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Publish these RDF files instead of the project's data (repeatable).")
@click.option("--no-validate", is_flag=True, help="With --data: publish without validating.")
@click.option("--project-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_PROJECT_DIR]")
@click.option("--var-dir", type=click.Path(file_okay=False, path_type=Path), help="[ROGRAPH_VAR_DIR]")
def publish_command(store, store_update, store_gsp, data, no_validate, project_dir, var_dir):
    """Validate, then replace the project's named graphs in a remote store and verify them.

    Graphs the project does not own are left alone; running it again completes a run that was
    cut short. Exit codes: 0 published and verified; 1 the data does not validate (nothing was
    sent); 2 bad usage or the store cannot be reached; 3 some graphs were not replaced or do not
    match (the report lists them; run it again).
    """
    from rograph.store import StoreUnavailable
    from rograph.store.publish import PublishError, publish

    settings = _settings(store=store, store_update=store_update, store_gsp=store_gsp,
                                 project_dir=project_dir, var_dir=var_dir)
    if not settings.store.startswith(("http://", "https://")):
        raise click.UsageError("publish needs a remote store: --to URL or ROGRAPH_STORE")
    build = build_or_exit(settings, "publish", data=data, validate=not (data and no_validate),
                           refused=(1, "the data does not validate; nothing was sent"))
    try:
        report = publish(build, settings, Progress("graphs published"))
    except (StoreUnavailable, PublishError) as error:
        fail("publish", str(error))
    for graph in report.dropped:
        click.echo(f"dropped {graph} (no longer in the build)")
    for graph, reason in report.failed.items():
        click.echo(f"NOT replaced {graph}: {reason}", err=True)
    for graph, (held, expected) in report.mismatched.items():
        click.echo(f"MISMATCH {graph}: the store has {held} triples, the build {expected}", err=True)
    click.echo(f"{len(report.replaced)} of {len(build.graph_counts)} graphs replaced in {settings.store}"
               + ("; verified" if report.complete else "; run rograph publish again to complete"))
    sys.exit(EXIT_DONE if report.complete else EXIT_INCOMPLETE)
