"""CLI commands for sync and publishing: `briefing sync`, `briefing feed keygen|build`, `briefing restore`.

Registered on the main group by briefing/cli.py. Thin: each calls one core function.
"""

from __future__ import annotations

import sys

import click

from briefing.core.errors import BriefingError


def add_sync_commands(cli: click.Group) -> None:
    """Register the sync/feed/restore commands on the `briefing` group."""
    from briefing.cli import fail, home_option, open_home

    @cli.command()
    @home_option
    @click.option("--source", type=click.Choice(["feed", "huggingface", "federal-register", "all"]), default="feed",
                  show_default=True, help="What to sync from.")
    @click.option("--feed", "feed_url", default=None, help="Feed address (default: the feed_url setting).")
    @click.option("--endpoint", default=None, help="Base address of the chosen public source (tests, mirrors).")
    @click.option("--trust-key", "trust_keys", multiple=True, type=click.Path(dir_okay=False, exists=True),
                  help="An extra minisign public key file to trust (repeatable).")
    def sync(home_dir: str | None, source: str, feed_url: str | None, endpoint: str | None, trust_keys: tuple[str, ...]) -> None:
        """Update the data from the signed feed or a public source, all or nothing.

        Prints added/changed/removed records per kind. On any failure the data is left exactly as
        it was and one line says why (exit 1). Every attempt is written to the sync log.

        Example: briefing sync --source all --home ~/briefing
        """
        from briefing.core.sync import sync as run_sync

        home = open_home(home_dir)
        sources = ["feed", "huggingface", "federal_register"] if source == "all" else [source.replace("-", "_")]
        errors = []
        for name in sources:
            with click.progressbar(length=1000, label=f"sync {name}", file=sys.stderr) as bar:
                done = [0]

                def progress(fraction: float, message: str) -> None:
                    step = max(0, min(1000, int(fraction * 1000)) - done[0])
                    done[0] += step
                    bar.update(step)

                try:
                    result = run_sync(
                        home, source=name, feed_url=feed_url, endpoint=endpoint if source != "all" else None,
                        trust_keys=list(trust_keys), progress=progress,
                    )
                except BriefingError as exc:
                    errors.append(f"{name}: {exc}")
                    continue
            click.echo(result.summary())
        if errors:
            fail("; ".join(errors))

    @cli.group()
    def feed() -> None:
        """Publish the briefing feed: make a signing key, build and sign feed.json.

        Example: briefing feed build --out site/ --secret-key ~/keys/briefing.key --version 18
        """

    @feed.command()
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the key pair.")
    @click.option("--force", is_flag=True, help="Overwrite an existing key pair.")
    def keygen(out_dir: str, force: bool) -> None:
        """Write DIR/briefing.key (secret, no password) and DIR/briefing.pub in minisign's formats.

        Keep briefing.key out of any repository; only briefing.pub is published.

        Example: briefing feed keygen --out ~/.config/briefing-publisher
        """
        from briefing.core.feed_publish import keygen as make_keys

        key, pub, key_id = make_keys(out_dir, force=force)
        click.echo(f"secret key: {key} (keep it private)\npublic key: {pub} (key id {key_id})")

    @feed.command()
    @home_option
    @click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write feed.json into.")
    @click.option("--secret-key", required=True, type=click.Path(dir_okay=False, exists=True), help="minisign secret key file.")
    @click.option("--version", "version", required=True, type=click.IntRange(min=1), help="Feed version (must grow).")
    @click.option("--expires-days", default=30.0, show_default=True, type=click.FloatRange(min=0.01), help="Days until the feed expires.")
    @click.option("--base-url", default=None, help="Where the feed will be hosted (home_page_url).")
    def build(home_dir: str | None, out_dir: str, secret_key: str, version: int, expires_days: float, base_url: str | None) -> None:
        """Write feed.json and feed.json.minisig from the home's database.

        Example: briefing feed build --out site/ --secret-key briefing.key --version 18 --expires-days 30
        """
        from briefing.core.feed_publish import build as build_feed

        home = open_home(home_dir)
        feed_path, sig_path, n = build_feed(
            home.data_path, out_dir, secret_key=secret_key, version=version, expires_days=expires_days, base_url=base_url,
        )
        click.echo(f"wrote {feed_path} ({n} items) and {sig_path}")

    @cli.command()
    @home_option
    @click.option("--list", "list_only", is_flag=True, help="List the backup generations.")
    @click.option("--generation", default=1, show_default=True, type=click.IntRange(min=1), help="1 is the newest.")
    def restore(home_dir: str | None, list_only: bool, generation: int) -> None:
        """Bring back the data file as it was before a sync (the last 3 are kept).

        Example: briefing restore --list --home ~/briefing
        """
        from briefing.core import staging

        home = open_home(home_dir)
        if list_only:
            gens = staging.backups(home)
            if not gens:
                click.echo("no backups yet")
            for n, path in enumerate(gens, 1):
                info = staging.describe_backup(path)
                click.echo(f"{n}  {info['file']}  feed v{info.get('feed_version') or '-'}  {info['bytes']:,} bytes")
            return
        path = staging.restore(home, generation)
        click.echo(f"restored generation {generation} ({path.name})")

    _ = (sync, keygen, build, restore)
