"""``rograph serve``: SPARQL and the linked-data pages, on the embedded store or a remote one."""

from __future__ import annotations

import logging
import os
import socket

import click

from rograph.cli.errors import EXIT_BAD_INPUT, fail
from rograph.cli.shared import (
    build_or_exit,
    configured,
    data_options,
    project_dir_option,
    setting_option,
    var_dir_option,
)
from rograph.config import SERVERS, Settings


@click.command("serve")
@setting_option("host")
@setting_option("port", type=int)
@setting_option("workers", type=int)
@setting_option("server", type=click.Choice(SERVERS), help="The HTTP front.")
@setting_option("threads", type=int, help="Request threads per worker (waitress).")
@setting_option("query_timeout", type=float, help="Seconds.")
@setting_option("max_response_bytes", type=int)
@setting_option("public_url", help="The server's own address that published IRIs map to.")
@setting_option("store", help="oxigraph:PATH or the URL of a remote SPARQL endpoint.")
@project_dir_option
@var_dir_option
@data_options("serve")
@click.option("--debug", is_flag=True, help="Flask's development server (one process) in front of the query executors.")
def serve_command(
    host,
    port,
    workers,
    server,
    threads,
    query_timeout,
    max_response_bytes,
    public_url,
    store,
    project_dir,
    var_dir,
    data,
    no_validate,
    debug,
):
    """Serve SPARQL and the linked-data pages, on the embedded store or a remote one.

    Builds the store first if the sources changed (validating them); if they do not validate,
    the last good build is served and the report is logged.
    """
    settings = configured(
        host=host,
        port=port,
        workers=workers,
        server=server,
        threads=threads,
        query_timeout=query_timeout,
        max_response_bytes=max_response_bytes,
        public_url=public_url,
        store=store,
        project_dir=project_dir,
        var_dir=var_dir,
    )
    from rograph.executor import PoolFailed, PoolStore, start_pool
    from rograph.web import create_app

    _check_address_free(settings)
    build = build_or_exit(
        settings,
        "serve",
        data=data,
        validate=not (data and no_validate),
        refused=(EXIT_BAD_INPUT, "the sources do not validate and there is no earlier build to serve"),
    )
    try:
        pool = start_pool(settings, build)
    except PoolFailed as error:
        fail("serve", str(error))
    try:
        for problem in pool.problems:
            logging.getLogger("rograph.store").warning("%s", problem)
        # For a front that starts fresh interpreters rather than forking this one.
        os.environ["ROGRAPH_EXECUTOR_SOCKET"] = pool.socket_path
        served = PoolStore.for_settings(build, pool.socket_path, settings)
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
        fail(
            "serve",
            f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error} "
            "(another server there? choose another with --port or ROGRAPH_PORT)",
        )
