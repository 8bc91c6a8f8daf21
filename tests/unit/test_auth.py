"""The role rules of issue 14, without Streamlit: where a role comes from, what each role may do,
who owns a scenario, and what the logs get."""

import pytest

from insatskollen.core import roles
from insatskollen.core.roles import ADMIN, OFFICIAL, READER

SETTINGS = roles.settings_from(
    {
        "roles_claim": "roles",
        "role_map": {"Insatskollen.Read": READER, "Insatskollen.Plan": OFFICIAL, "Insatskollen.Admin": ADMIN},
        "default_role": READER,
    }
)


def test_the_role_table_wins_over_the_claim_and_the_claim_over_the_default():
    claims = {"sub": "s1", "email": "a@kommun.se", "roles": ["Insatskollen.Plan"]}
    assert roles.role_for(claims, SETTINGS, ADMIN) == ADMIN
    assert roles.role_for(claims, SETTINGS, None) == OFFICIAL
    assert roles.role_for({"sub": "s2"}, SETTINGS, None) == READER


def test_the_highest_mapped_claim_value_counts_and_unmapped_values_are_ignored():
    claims = {"roles": ["Okänd.Grupp", "Insatskollen.Read", "Insatskollen.Admin"]}
    assert roles.role_for(claims, SETTINGS, None) == ADMIN
    assert roles.role_for({"roles": "Insatskollen.Plan"}, SETTINGS, None) == OFFICIAL  # a single string


def test_an_unknown_user_gets_no_role_unless_a_default_is_configured():
    strict = roles.settings_from({"role_map": {"x": ADMIN}})
    identity = roles.identity_from({"sub": "s9", "name": "Okänd Person"}, strict, None)
    assert identity.role is None
    assert not identity.may(READER)
    with pytest.raises(roles.NotAllowed, match="Du får inte importera: det kräver rollen administratör"):
        roles.check(identity, ADMIN, "importera")


def test_each_role_may_do_what_the_table_in_the_readme_says():
    def who(role):
        return roles.Identity("s", "N", None, role, signed_in=True)

    assert [who(r).may(OFFICIAL) for r in roles.ROLES] == [False, True, True]
    assert [who(r).may(ADMIN) for r in roles.ROLES] == [False, False, True]
    assert all(who(r).may(READER) for r in roles.ROLES)


def test_a_handlaggare_changes_only_their_own_scenarios_and_old_unowned_ones_are_nobodys():
    anna = roles.Identity("anna-sub", "Anna", "anna@kommun.se", OFFICIAL, signed_in=True)
    assert anna.owns("anna-sub")
    assert not anna.owns("bo-sub")
    assert not anna.owns(None)  # saved before sign-in
    with pytest.raises(roles.NotAllowed, match="scenariot är någon annans"):
        roles.check_owner(anna, "bo-sub", "spara ändringar")
    reader = roles.Identity("l-sub", "Lena", None, READER, signed_in=True)
    with pytest.raises(roles.NotAllowed, match="kräver rollen handläggare"):
        roles.check_owner(reader, "l-sub", "spara ändringar")


def test_without_sign_in_everything_is_allowed_and_the_log_gets_the_typed_name_as_free_text():
    assert roles.LOCAL.may(ADMIN) and roles.LOCAL.owns(None) and roles.LOCAL.owns("someone")
    actor = roles.LOCAL.actor("Kim")
    assert actor.log_values() == {
        "author": "Kim",
        "subject": None,
        "display_name": None,
        "email": None,
        "identity_kind": "free_text",
    }


def test_a_signed_in_log_entry_names_subject_name_and_email_not_a_typed_name():
    identity = roles.identity_from(
        {"sub": "00u1", "name": "Anna Andersson", "email": "anna@kommun.se", "roles": ["Insatskollen.Plan"]},
        SETTINGS,
        None,
    )
    assert identity.actor("Någon Annan").log_values() == {
        "author": "Anna Andersson",
        "subject": "00u1",
        "display_name": "Anna Andersson",
        "email": "anna@kommun.se",
        "identity_kind": "oidc",
    }


def test_a_wrong_setting_is_refused_in_swedish():
    with pytest.raises(roles.AuthSettingError, match="Okänd roll ”admin”"):
        roles.settings_from({"role_map": {"g": "admin"}})
    with pytest.raises(roles.AuthSettingError, match="okända nycklar: role_claim"):
        roles.settings_from({"role_claim": "roles"})


def test_an_administrator_manages_the_role_table_from_the_command_line(tmp_path, capsys):
    from insatskollen import cli
    from insatskollen.store.db import Database

    var = ["--var", str(tmp_path / "var")]
    assert cli.main([*var, "users", "add", "Anna@Kommun.se", "handläggare", "--av", "Ada"]) == 0
    assert cli.main([*var, "users", "add", "00u-ada", "administratör", "--av", "Ada"]) == 0
    assert cli.main([*var, "users", "add", "Anna@Kommun.se", "läsare", "--av", "Ada"]) == 0  # replaces
    capsys.readouterr()
    assert cli.main([*var, "users", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        ["00u-ada", "administratör"],
        ["anna@kommun.se", "läsare"],
    ]
    db = Database.open(tmp_path / "var")
    try:
        # the table's rows for a subject and for an e-mail (in any case); roles.table_role says which count
        assert db.work.roles_of("00u-ada", None) == (ADMIN, None)
        assert db.work.roles_of("some-sub", "ANNA@kommun.se") == (None, READER)
        assert db.work.roles_of("00u-ada", "other@kommun.se") == (ADMIN, None)
    finally:
        db.close()
    assert cli.main([*var, "users", "remove", "anna@kommun.se"]) == 0
    assert cli.main([*var, "users", "remove", "anna@kommun.se"]) == 1
    assert "finns inte i rolltabellen" in capsys.readouterr().err
    assert cli.main([*var, "users", "add", "x", "superuser"]) == 1  # an unknown role: refused in Swedish


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["users", "add", "x", "admin"],
            "Okänd roll ”admin”. Tillåtna roller: läsare, handläggare, administratör",
        ),
        (["users", "add", "x", "Administratör"], "Okänd roll ”Administratör”"),
        (["users", "add", "", "läsare"], "Ange ett OIDC-subjekt eller en e-postadress"),
        (["users", "add", "   ", "läsare"], "Ange ett OIDC-subjekt eller en e-postadress"),
        (["users", "add", "a" * 100_000, "läsare"], "är för långt (100000 tecken, högst 320)"),
        (["users", "add", "anna @kommun.se", "läsare"], "mellanslag eller osynliga tecken"),
        (["users", "add", "anna\u200b@kommun.se", "läsare"], "(U+200B) på plats 5"),
        (["users", "add", "\u0430da", "administratör"], "”а” (U+0430) på plats 1 kan förväxlas"),
        (["users", "add", "ａda", "administratör"], "”ａ” (U+FF41) på plats 1 kan förväxlas"),
        (["users", "add", "x", "läsare", "--av", "K\x1b[31mim"], "styrtecken"),
        (["users", "remove", ""], "Ange ett OIDC-subjekt eller en e-postadress"),
    ],
)
def test_the_role_table_refuses_bad_input_in_swedish_and_writes_nothing(tmp_path, capsys, argv, says):
    from insatskollen import cli
    from insatskollen.store.db import Database

    var = ["--var", str(tmp_path / "var")]
    assert cli.main([*var, *argv]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    db = Database.open(tmp_path / "var")
    try:
        assert db.work.user_roles().empty
    finally:
        db.close()


def test_a_swedish_e_mail_and_a_decomposed_a_ring_are_one_principal(tmp_path, capsys):
    from insatskollen import cli
    from insatskollen.store.db import Database

    var = ["--var", str(tmp_path / "var")]
    assert cli.main([*var, "users", "add", "Åsa.Öberg@kommun.se", "handla\u0308ggare"]) == 0
    db = Database.open(tmp_path / "var")
    try:
        assert db.work.roles_of(None, "a\u030asa.o\u0308berg@kommun.se") == (
            None,
            OFFICIAL,
        )  # as a Mac sends it
    finally:
        db.close()


def test_ingen_in_the_role_table_blocks_a_user_whatever_the_identity_provider_says():
    claims = {"sub": "s1", "roles": ["Insatskollen.Admin"]}
    assert roles.role_for(claims, SETTINGS, roles.NO_ROLE) is None
    assert not roles.identity_from(claims, SETTINGS, roles.NO_ROLE).may(READER)


def _saved_scenario(db, name: str, author) -> str:
    from insatskollen.store import scenario_store as store
    from insatskollen.ui.scenario_session import ActiveScenario

    frames = db.query("scenario_frames")
    opened = ActiveScenario.new(db, frames.frame_id.iloc[0], int(frames.year.iloc[0]))
    return store.save_new(
        db, opened.scenario, name=name, author=author, comment="", frame_id=opened.frame_id, year=opened.year
    )


def test_an_administrator_gives_a_scenario_saved_before_sign_in_an_owner(tmp_path, capsys):
    from insatskollen import cli
    from insatskollen.core.roles import Actor
    from insatskollen.store.db import Database

    var = ["--var", str(tmp_path / "var")]
    db = Database.open(tmp_path / "var")
    try:
        db.ensure_built()
        old = _saved_scenario(db, "Gammalt förslag", "Kim")  # before sign-in: no owner
        signed = _saved_scenario(db, "Annas", Actor("Anna A", subject="anna-oid", email="Anna@Kommun.se"))
    finally:
        db.close()
    assert (
        cli.main([*var, "scenarios", "owner", "gammalt FÖRSLAG", "anna@kommun.se", "--av", "Ada (IT)"]) == 0
    )
    assert "”Gammalt förslag” ägs nu av anna-oid (anna@kommun.se)" in capsys.readouterr().out
    for argv, says in [
        (["Finns inte", "anna-oid"], "Det finns inget sparat scenario som heter ”Finns inte”"),
        (["Annas", "okand@kommun.se"], "okand@kommun.se har inte loggat in i Insatskollen"),
        (["Annas", ""], "Ange ett OIDC-subjekt eller en e-postadress"),
        (["Annas", "\u0430nna-oid"], "kan förväxlas"),
    ]:
        assert cli.main([*var, "scenarios", "owner", *argv]) == 1, argv
        assert says in capsys.readouterr().err, argv
    db = Database.open(tmp_path / "var")
    try:
        assert db.work.scenario_row(old)["owner_subject"] == "anna-oid"
        assert db.work.scenario_row(signed)["owner_subject"] == "anna-oid"
        last = db.work.scenario_log_rows(old).iloc[-1]
        assert (last.action, last.author, last.identity_kind) == ("bytte ägare", "Ada (IT)", "free_text")
        assert last.detail == "Ägare: ingen (sparat före inloggning) → anna-oid (anna@kommun.se)"
        assert len(db.work.scenario_log_rows(signed)) == 1  # the refused commands wrote nothing
    finally:
        db.close()


def test_a_long_display_name_from_the_identity_provider_does_not_stop_a_save(tmp_path):
    """The person cannot change what the identity provider calls them: a name over the limit, or with a
    line break, is shortened and cleaned for the log, not refused."""
    from insatskollen.core.roles import Actor
    from insatskollen.store.db import Database

    db = Database.open(tmp_path / "var")
    try:
        db.ensure_built()
        long_name = "Anna-Karin " + "Lindqvist-" * 20 + "\nEnhet\tstadskontoret"
        saved = _saved_scenario(db, "Långt namn", Actor(long_name, subject="ak-oid", email="ak@kommun.se"))
        row = db.work.scenario_log_rows(saved).iloc[-1]
        assert row.author.startswith("Anna-Karin Lindqvist-Lindqvist-") and row.author.endswith("…")
        assert len(row.author) == 100 and "\n" not in row.author and "\t" not in row.author
        assert (row.subject, row.identity_kind) == ("ak-oid", "oidc")
    finally:
        db.close()


ISSUER = "https://login.microsoftonline.com/tenant-1/v2.0"
FROM_ISSUER = roles.settings_from(
    {"role_map": {"Insatskollen.Read": READER}},
    {"server_metadata_url": f"{ISSUER}/.well-known/openid-configuration", "client_id": "x"},
)


def test_the_issuer_is_the_metadata_address_without_its_well_known_part_or_set_explicitly():
    assert FROM_ISSUER.issuer == ISSUER
    assert roles.settings_from({"issuer": "https://idp.kommun.se"}, {"server_metadata_url": "x"}).issuer == (
        "https://idp.kommun.se"
    )
    assert roles.settings_from({}, {"server_metadata_url": "https://idp/metadata.json"}).issuer is None


@pytest.fixture
def ada_by_email(tmp_path):
    """The README's old first example: the role table gives ada@kommun.se administratör by e-mail."""
    from insatskollen import cli
    from insatskollen.store.db import Database

    assert cli.main(["--var", str(tmp_path / "var"), "users", "add", "ada@kommun.se", "administratör"]) == 0
    assert cli.main(["--var", str(tmp_path / "var"), "users", "add", "00u-kim", "handläggare"]) == 0
    db = Database.open(tmp_path / "var")
    yield db.work
    db.close()


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        (
            {"sub": "eve", "email": "ADA@kommun.se", "email_verified": False},
            "identitetsleverantören har inte bekräftat att e-postadressen är din (email_verified)",
        ),
        (
            {"sub": "eve", "email": "ada@kommun.se"},  # no email_verified at all (Entra ID by default)
            "identitetsleverantören har inte bekräftat att e-postadressen är din (email_verified)",
        ),
        (
            {"sub": "eve", "email": "ada@kommun.se", "email_verified": "true"},  # a string, not true
            "identitetsleverantören har inte bekräftat att e-postadressen är din (email_verified)",
        ),
        (
            {"sub": "eve", "email": "ada@kommun.se", "email_verified": True, "iss": "https://evil.example"},
            "inloggningen kommer från en annan identitetsleverantör (https://evil.example) än den Insatskollen "
            "är inställd på",
        ),
    ],
)
def test_an_e_mail_the_issuer_has_not_verified_gets_no_role_from_the_role_table(ada_by_email, claims, why):
    """Issue 21: anyone can put ada@kommun.se (in any case) into an account of their own; it gave them
    administratör."""
    claims = {"iss": ISSUER, **claims}
    eve = roles.identity_of(claims, FROM_ISSUER, ada_by_email)
    assert eve.role is None and not eve.may(READER)
    assert eve.email_not_trusted == why


def test_a_verified_e_mail_from_the_issuer_and_a_subject_from_the_issuer_get_their_role(ada_by_email):
    ada = roles.identity_of(
        {"iss": ISSUER, "sub": "00u-ada", "email": "Ada@Kommun.se", "email_verified": True},
        FROM_ISSUER,
        ada_by_email,
    )
    assert ada.role == ADMIN and ada.email_not_trusted is None
    kim = roles.identity_of({"iss": ISSUER, "sub": "00u-kim"}, FROM_ISSUER, ada_by_email)
    assert kim.role == OFFICIAL
    # the same subject from another issuer is someone else
    other = roles.identity_of({"iss": "https://evil.example", "sub": "00u-kim"}, FROM_ISSUER, ada_by_email)
    assert other.role is None
    # and without a known issuer (no server_metadata_url) the table grants nothing
    unknown = roles.identity_of({"iss": ISSUER, "sub": "00u-kim"}, roles.settings_from({}), ada_by_email)
    assert unknown.role is None


def test_ingen_blocks_also_by_an_unverified_e_mail_and_a_mapped_claim_still_counts(ada_by_email):
    ada_by_email.set_user_role("lena@kommun.se", roles.NO_ROLE, added_by="test")
    claims = {"iss": ISSUER, "sub": "lena", "email": "LENA@kommun.se", "roles": ["Insatskollen.Read"]}
    assert roles.identity_of(claims, FROM_ISSUER, ada_by_email).role is None
    claims["email"] = "olle@kommun.se"  # not in the table: the roles claim gives the role, as before
    assert roles.identity_of(claims, FROM_ISSUER, ada_by_email).role == READER
