"""Drives a running claude-rs-mock's Admin API and resource store with the
official Python SDK: the organization's users (every page), workspaces and
their members, API keys, list filters, the plugin uploads (multipart), and
two Managed Agents families the store serves from the API description
(memory stores, vaults and credentials).

Usage: python_admin.py BASE_URL USERS
(the mock started with `--admin-users USERS`). Prints one line per check
and a summary; exits 1 if any check fails.
"""

import json
import sys
import urllib.error
import urllib.request
from datetime import datetime

import anthropic

from checks import check, run

BASE = sys.argv[1].rstrip("/")
USERS = int(sys.argv[2])
# The SDK sends its key as `Authorization: Bearer`; the Admin API wants an
# admin key, which the mock tells by its prefix.
admin = anthropic.Anthropic(base_url=BASE, api_key="sk-ant-admin01-python", max_retries=0)
plain = anthropic.Anthropic(base_url=BASE, api_key="sk-ant-api03-python", max_retries=0)


@check
def the_admin_api_refuses_a_plain_key():
    try:
        plain.organization.users.list()
    except anthropic.PermissionDeniedError as err:
        assert err.status_code == 403
        assert err.body["error"]["type"] == "permission_error", err.body
    else:
        raise AssertionError("a plain API key was accepted")
    request = urllib.request.Request(BASE + "/v1/organizations/users")
    request.add_header("anthropic-version", "2023-06-01")
    try:
        urllib.request.urlopen(request)
    except urllib.error.HTTPError as err:
        assert err.code == 401, err.code
        assert json.loads(err.read())["error"]["type"] == "authentication_error"
    else:
        raise AssertionError("no key was accepted")


@check
def the_organization():
    organization = admin.organization.retrieve()
    assert organization.type == "organization"
    assert organization.name, organization


@check
def users_every_page_then_retrieve_and_update():
    users = list(admin.organization.users.list(limit=100))
    assert len(users) == USERS, len(users)
    assert len({user.id for user in users}) == USERS
    first = users[0]
    assert first.type == "user" and "@" in first.email, first
    assert isinstance(first.added_at, datetime), type(first.added_at)
    page = admin.organization.users.list(limit=10)
    assert page.has_more and page.last_id == page.data[-1].id
    user = admin.organization.users.retrieve(users[42].id)
    assert user == users[42], (user, users[42])
    updated = admin.organization.users.update(users[42].id, role="developer")
    assert updated.role == "developer" and updated.email == users[42].email
    assert admin.organization.users.retrieve(users[42].id).role == "developer"


@check
def workspaces_create_list_members_archive():
    workspace = admin.organization.workspaces.create(name="Python team", display_color="#123456")
    assert workspace.type == "workspace" and workspace.id.startswith("wrkspc_"), workspace
    assert workspace.name == "Python team" and workspace.display_color == "#123456"
    assert isinstance(workspace.created_at, datetime)
    listed = [w.id for w in admin.organization.workspaces.list(limit=1)]
    assert workspace.id in listed, listed
    renamed = admin.organization.workspaces.update(workspace.id, name="Python guild")
    assert renamed.name == "Python guild"
    members = admin.organization.workspaces.members
    user = next(iter(admin.organization.users.list(limit=1)))
    member = members.add(workspace.id, user_id=user.id, workspace_role="workspace_developer")
    assert (member.type, member.user_id, member.workspace_id) == ("workspace_member", user.id, workspace.id)
    member = members.update(user.id, workspace_id=workspace.id, workspace_role="workspace_admin")
    assert member.workspace_role == "workspace_admin"
    assert [m.user_id for m in members.list(workspace.id)] == [user.id]
    removed = members.remove(user.id, workspace_id=workspace.id)
    assert removed.type == "workspace_member_deleted", removed
    assert list(members.list(workspace.id)) == []
    archived = admin.organization.workspaces.archive(workspace.id)
    assert isinstance(archived.archived_at, datetime), archived
    assert workspace.id not in [w.id for w in admin.organization.workspaces.list()]
    try:
        members.list("wrkspc_missing")
    except anthropic.NotFoundError as err:
        assert err.body["error"]["type"] == "not_found_error"
    else:
        raise AssertionError("a missing workspace's members were listed")


@check
def api_keys_list_and_update():
    keys = list(admin.organization.api_keys.list(limit=2))
    assert len(keys) >= 3, keys
    assert all(key.type == "api_key" for key in keys)
    updated = admin.organization.api_keys.update(keys[0].id, name="rotated", status="inactive")
    assert (updated.name, updated.status) == ("rotated", "inactive"), updated
    assert admin.organization.api_keys.retrieve(keys[0].id).name == "rotated"


@check
def list_filters_as_the_api_reads_them():
    users = list(admin.organization.users.list(email="user7@example.com"))
    assert [u.email for u in users] == ["user7@example.com"], users
    keys = list(admin.organization.api_keys.list(status="inactive"))
    assert keys and all(k.status == "inactive" for k in keys), keys
    try:
        admin.organization.api_keys.list(status="sleeping")
    except anthropic.BadRequestError as err:
        assert err.body["error"]["type"] == "invalid_request_error", err.body
    else:
        raise AssertionError("an unknown status was accepted")


@check
def plugins_upload_as_forms():
    plugins = admin.beta.organization.plugins
    manifest = (".claude-plugin/plugin.json", b'{"name": "py-tools"}', "application/json")
    plugin = plugins.create(files=[manifest], release_notes="first")
    assert plugin.type == "plugin" and plugin.id, plugin
    assert plugins.retrieve(plugin.id).id == plugin.id
    version = plugins.versions.create(plugin.id, files=[manifest], release_notes="second")
    assert version.plugin_id == plugin.id and version.release_notes == "second", version
    report = admin.beta.organization.plugin_marketplaces.validate_archive(
        archive=("marketplace.zip", b"PK", "application/zip")
    )
    assert report.type == "plugin_marketplace_validation_report", report


@check
def memory_stores_through_the_description_driven_store():
    stores = admin.beta.memory_stores
    created = stores.create(name="notes", description="what the agent learnt")
    assert created.type == "memory_store" and created.id.startswith("memstore_"), created
    assert created.name == "notes" and isinstance(created.created_at, datetime)
    assert stores.retrieve(created.id).id == created.id
    updated = stores.update(created.id, name="renamed", metadata={"team": "python"})
    assert updated.name == "renamed" and updated.metadata == {"team": "python"}, updated
    others = [stores.create(name=f"store {i}") for i in range(3)]
    listed = [s.id for s in stores.list(limit=2)]
    assert listed[:4] == [s.id for s in reversed(others)] + [created.id], listed
    memory = stores.memories.create(created.id, path="/a.md", content="hello")
    assert memory.memory_store_id == created.id and memory.path == "/a.md", memory
    archived = stores.archive(created.id)
    assert isinstance(archived.archived_at, datetime)
    assert created.id not in [s.id for s in stores.list()]
    assert created.id in [s.id for s in stores.list(include_archived=True)]
    deleted = stores.delete(created.id)
    assert (deleted.id, deleted.type) == (created.id, "memory_store_deleted"), deleted
    try:
        stores.retrieve(created.id)
    except anthropic.NotFoundError:
        pass
    else:
        raise AssertionError("a deleted store was found")


@check
def vaults_and_credentials():
    vault = admin.beta.vaults.create(display_name="secrets")
    assert vault.type == "vault" and vault.display_name == "secrets", vault
    credential = admin.beta.vaults.credentials.create(
        vault.id,
        auth={"type": "static_bearer", "token": "t0ken", "mcp_server_url": "https://mcp.example.com"},
        display_name="github",
    )
    assert credential.type == "vault_credential" and credential.vault_id == vault.id, credential
    listed = list(admin.beta.vaults.credentials.list(vault.id))
    assert [c.id for c in listed] == [credential.id]
    assert admin.beta.vaults.update(vault.id, display_name="vault").display_name == "vault"
    assert admin.beta.vaults.delete(vault.id).type == "vault_deleted"


run("python admin and resource store")
