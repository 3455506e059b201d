"""`newsdesk setup`: prepare the models once (MiniLM exported to ONNX, static embeddings)."""

from __future__ import annotations


def add(commands) -> None:
    parser = commands.add_parser("setup", help="prepare the models once: MiniLM exported to ONNX, static embeddings "
                                 "distilled from it",
                                 description="Export MiniLM to ONNX Runtime and distil static embeddings from it (model2vec), "
                                 "once, so that later runs start without torch.")
    parser.add_argument("--force", action="store_true", help="prepare them again even if they are there "
                        "(after an upgrade, or when a prepared file is damaged)")
    parser.add_argument("--int8", action="store_true", help="also quantise MiniLM to int8 weights "
                        "(for --embedder minilm-int8; opt-in, about 10 s)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from ..embed import prepare_int8, prepare_onnx, prepare_static

    print(f"MiniLM ready for ONNX Runtime: {prepare_onnx(force=args.force)}")
    if args.int8:  # after prepare_onnx, which (with --force) remakes an int8 graph already there
        print(f"MiniLM int8 graph ready: {prepare_int8()}")
    print(f"static embeddings distilled from MiniLM: {prepare_static(force=args.force)}")
    return 0
