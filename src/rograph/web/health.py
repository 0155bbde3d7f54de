"""``/health``: for load balancers and start-up checks."""

from flask import Blueprint, Response, jsonify

from rograph.web.context import context

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> Response:
    store = context().store
    return jsonify(status="ok", version=store.version, quads=store.quad_count(), built=store.built.isoformat())
