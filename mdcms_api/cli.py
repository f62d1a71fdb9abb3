"""The command line: `flask import-site`, `list-sites`, `remove-site` and `flask db`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy.exc import OperationalError

from mdcms_api.content.slugs import slugify
from mdcms_api.importer.report import ImportReport
from mdcms_api.importer.sync import ImportOptions, sync_site
from mdcms_api.storage import migrations
from mdcms_api.storage.db import Database
from mdcms_api.storage.queries import remove_site, site_overview

PROGRESS_BAR_MIN_FILES = 200

db_commands = AppGroup("db", help="Manage the database schema (Alembic migrations).")


def database() -> Database:
    """The app's database."""
    return current_app.extensions["mdcms.db"]


def _ensure_schema(db: Database) -> None:
    try:
        migrations.ensure_schema(db.engine)
    except migrations.SchemaError as error:
        raise click.ClickException(str(error)) from error


def import_options(site: str, dry_run: bool, strict: bool) -> ImportOptions:
    """Import options from the command line and the app's settings."""
    config = current_app.config
    public_url = config["MDCMS_PUBLIC_URL"].rstrip("/")
    asset_base = config["MDCMS_ASSET_BASE_URL"] or f"{public_url}/api/v1/sites/{{site}}/assets/"
    return ImportOptions(
        site=site,
        dry_run=dry_run,
        strict=strict,
        max_file_bytes=config["MDCMS_MAX_FILE_BYTES"],
        max_asset_bytes=config["MDCMS_MAX_ASSET_BYTES"],
        link_pattern=config["MDCMS_LINK_PATTERN"],
        asset_base_url=asset_base,
        workers=config["MDCMS_IMPORT_WORKERS"],
    )


def _print_report(report: ImportReport) -> None:
    for problem in report.problems:
        click.echo(str(problem), err=problem.severity == "error")
    click.echo(report.asset_summary())
    click.echo(report.summary())


def _run_sync(db: Database, root: Path, options: ImportOptions) -> ImportReport:
    if not sys.stdout.isatty():
        return sync_site(db, root, options)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= PROGRESS_BAR_MIN_FILES:
            bar = click.progressbar(
                length=total, label=f"Importing {options.site}", file=sys.stderr
            )
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        return sync_site(db, root, options, progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@click.command("import-site")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--site", "site_slug", help="The site's slug (default: the folder's name).")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@click.option("--strict", is_flag=True, help="Any broken file aborts the whole sync.")
def import_site_command(path: Path, site_slug: str | None, dry_run: bool, strict: bool) -> None:
    """Sync a site folder (posts/, pages/, assets/, config.yml) into the database."""
    slug = slugify(site_slug or path.resolve().name)
    if not slug:
        raise click.BadParameter("cannot make a slug of it: pass --site", param_hint="--site")
    db = database()
    _ensure_schema(db)
    try:
        report = _run_sync(db, path, import_options(slug, dry_run, strict))
    except OperationalError as error:
        if "locked" in str(error.orig):
            raise click.ClickException(
                "another import is writing to this database and did not finish in time; try again"
            ) from error
        raise
    _print_report(report)
    if report.failed:
        sys.exit(1)


@click.command("list-sites")
@with_appcontext
def list_sites_command() -> None:
    """List the sites in the database with their post and page counts."""
    db = database()
    _ensure_schema(db)
    with db.sessions() as session:
        rows = site_overview(session)
    if not rows:
        click.echo("no sites yet: run `flask import-site PATH`")
    for slug, name, posts, pages in rows:
        click.echo(f"{slug}\t{posts} posts\t{pages} pages\t{name}")


@click.command("remove-site")
@with_appcontext
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_site_command(slug: str, yes: bool) -> None:
    """Remove a site and everything imported from it."""
    db = database()
    _ensure_schema(db)
    if not yes:
        click.confirm(f"Remove site '{slug}' and all its documents?", abort=True)
    with db.writing() as session:
        if not remove_site(session, slug):
            raise click.ClickException(f"no site '{slug}': `flask list-sites` shows the sites")
    click.echo(f"removed site '{slug}'")


@db_commands.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrations.upgrade(database().engine, revision)
    click.echo(f"database at {migrations.current_revision(database().engine)}")


@db_commands.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (default: one step; `base` removes everything)."""
    migrations.downgrade(database().engine, revision)
    click.echo(f"database at {migrations.current_revision(database().engine) or 'base'}")


@db_commands.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one this code ships."""
    engine = database().engine
    click.echo(f"current: {migrations.current_revision(engine) or 'none'}")
    click.echo(f"head: {migrations.head_revision()} ({migrations.schema_state(engine).value})")


class AppCommands(AppGroup):
    """The app's command line, which can finish building the app only when it must.

    Looking up one of mdcms-api's own commands leaves the app as it is; any other command
    (`flask openapi`) or the list of them all (`flask --help`) runs ``complete_app`` first.
    """

    def __init__(self, name: str, complete_app: Callable[[], None]) -> None:
        super().__init__(name)
        self._complete_app: Callable[[], None] | None = complete_app
        for command in (import_site_command, list_sites_command, remove_site_command, db_commands):
            self.add_command(command)

    def complete_app(self) -> None:
        """Run ``complete_app``, once."""
        complete, self._complete_app = self._complete_app, None
        if complete is not None:
            complete()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, after completing the app unless it is one of ours."""
        if cmd_name not in self.commands:
            self.complete_app()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, the complete app's included."""
        self.complete_app()
        return super().list_commands(ctx)


def flask_cli_is_finding_a_command() -> bool:
    """Whether the `flask` command is loading the app to look up one of the app's commands.

    Its built-in commands (`run`, `shell`, `routes`) load the app in their own click context
    instead, and gunicorn and the tests outside any.
    """
    context = click.get_current_context(silent=True)
    return context is not None and isinstance(context.command, FlaskGroup)
