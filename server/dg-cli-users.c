/* dg-cli-users.c: `dustgrid-server user add|list|disable|enable|revoke|passwd`, the accounts
 * kept from the command line; a password is read from stdin, never from argv.
 *
 * Copyright 2026 The DustGrid authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "dg-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dg-auth.h"
#include "dg-cli-private.h"
#include "dg-store.h"


/* Reads the password from stdin, never from the command line where `ps` would show it, and
 * holds it to the API's rule (common/dg-admin.c). */
static gboolean
read_password (const char  *command,
               char        *password,
               gsize        size)
{
  g_autoptr(GError) error = NULL;
  gsize len;

  if (fgets (password, size, stdin) == NULL)
    password[0] = '\0';
  len = strlen (password);
  while (len > 0 && (password[len - 1] == '\n' || password[len - 1] == '\r'))
    password[--len] = '\0';
  if (!dg_password_validate (password, "password", &error))
    {
      fprintf (stderr, "dustgrid-server %s: the password on stdin: %s\n", command,
               error->message);
      memset (password, 0, size);
      return FALSE;
    }

  return TRUE;
}

/* The id of the unit whose id or code is @key, among the units as they stand; NULL with a
 * message when there is none. */
static char *
find_unit (DgStore    *store,
           const char *key,
           GError    **error)
{
  g_autofree char *today = dg_date_today ();
  g_autofree char *month = dg_date_month (today);
  g_autoptr(DgRuleSet) rules = NULL;
  g_autoptr(GPtrArray) roads = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GPtrArray) units = NULL;

  if (!dg_store_load_month_reference (store, month, &rules, &roads, &cells, &units, error))
    return NULL;
  for (guint i = 0; i < units->len; i++)
    {
      const DgUnit *unit = g_ptr_array_index (units, i);

      if (g_strcmp0 (unit->id, key) == 0 || g_strcmp0 (unit->code, key) == 0)
        return g_strdup (unit->id);
    }
  dg_set_error (error, DG_ERROR_INVALID_FIELD, "unit_id",
                "--unit: no responsible unit has the id or code %s", key);
  return NULL;
}

static int
user_add (int    argc,
          char **argv)
{
  g_autofree char *username = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *unit_key = NULL;
  g_autofree char *unit_id = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgAuth) auth = NULL;
  char password[1100];
  DgRole role;
  const GOptionEntry entries[] = {
    { "username", 0, 0, G_OPTION_ARG_STRING, &username, "User name", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, "inspector, office, admin or unit",
      "ROLE" },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit_key,
      "The responsible unit of a unit user: its id or code", "UNIT" },
    { NULL }
  };

  if (!dg_cli_parse_options ("user add", NULL, entries, &argc, &argv, &error))
    return dg_cli_fail ("user add", error);
  if (username == NULL || !dg_username_validate (username, NULL))
    {
      fprintf (stderr, "dustgrid-server user add: --username NAME is required (no spaces, "
               "'/' or '%%', at most %d bytes)\n", DG_USERNAME_MAX_BYTES);
      return DG_CLI_EXIT_USAGE;
    }
  if (!dg_role_from_string (role_name, &role))
    {
      fprintf (stderr, "dustgrid-server user add: --role must be inspector, office, admin or "
               "unit\n");
      return DG_CLI_EXIT_USAGE;
    }
  /* Design 6.1: a unit user answers for one unit, and only a unit user has one. */
  if ((role == DG_ROLE_UNIT) != (unit_key != NULL))
    {
      fprintf (stderr, "dustgrid-server user add: --unit UNIT goes with --role unit, and only "
               "with it\n");
      return DG_CLI_EXIT_USAGE;
    }

  if (!read_password ("user add", password, sizeof password))
    return 1;

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("user add", error);
  /* The unit is looked up before anything is written: a typo leaves no unit user without one. */
  if (unit_key != NULL && (unit_id = find_unit (store, unit_key, &error)) == NULL)
    {
      memset (password, 0, sizeof password);
      return dg_cli_fail ("user add", error);
    }
  auth = dg_auth_new (store);

  hash = dg_auth_hash_password (auth, password, &error);
  memset (password, 0, sizeof password);
  if (hash == NULL || !dg_store_put_user (store, username, role, hash, &error))
    return dg_cli_fail ("user add", error);
  if (unit_id != NULL)
    {
      DgUserPatch patch = { .set_unit_id = TRUE, .unit_id = unit_id };
      g_autoptr(DgUser) user = dg_store_update_user (store, username, &patch, NULL,
                                                     DG_CLI_ACTOR, &error);

      if (user == NULL)
        return dg_cli_fail ("user add", error);
    }

  fprintf (stdout, "user %s (%s) saved\n", username, dg_role_to_string (role));
  return 0;
}

/* `user list`: one line per user, tab-separated: name, role, enabled or disabled, display
 * name, unit_id, last sign-in ("-" for none). Never a hash or a token. */
static int
user_list (int    argc,
           char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;

  if (!dg_cli_parse_options ("user list", NULL, NULL, &argc, &argv, &error))
    return dg_cli_fail ("user list", error);
  if (argc != 1)
    {
      dg_cli_usage ();
      return DG_CLI_EXIT_USAGE;
    }

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail ("user list", error);
  users = dg_store_list_users (store, &error);
  if (users == NULL)
    return dg_cli_fail ("user list", error);

  for (guint i = 0; i < users->len; i++)
    {
      const DgUser *user = g_ptr_array_index (users, i);

      fprintf (stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", user->username, dg_role_to_string (user->role),
               user->disabled ? "disabled" : "enabled",
               user->display_name != NULL ? user->display_name : "-",
               user->unit_id != NULL ? user->unit_id : "-",
               user->last_login_at != NULL ? user->last_login_at : "-");
    }

  return 0;
}

/* `user disable|enable|revoke|passwd NAME`: through the store's administration calls, as the
 * API's PATCH and revoke, so that they end the user's sessions and write the audit log. */
static int
user_named (const char  *command,
            int          argc,
            char       **argv)
{
  g_autofree char *full = g_strdup_printf ("user %s", command);
  g_autoptr(GError) error = NULL;
  g_autoptr(DgStore) store = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autofree char *hash = NULL;
  const char *username;
  char password[1100];
  DgUserPatch patch = { 0 };

  if (!dg_cli_parse_options (full, "NAME", NULL, &argc, &argv, &error))
    return dg_cli_fail (full, error);
  if (argc != 2)
    {
      fprintf (stderr, "dustgrid-server %s: give one user NAME\n", full);
      return DG_CLI_EXIT_USAGE;
    }
  username = argv[1];

  if (strcmp (command, "passwd") == 0 && !read_password (full, password, sizeof password))
    return 1;

  store = dg_store_open (dg_cli_db (), &error);
  if (store == NULL)
    return dg_cli_fail (full, error);

  if (strcmp (command, "revoke") == 0)
    {
      gint64 n = 0;

      if (!dg_store_revoke_user (store, username, DG_CLI_ACTOR, &n, &error))
        return dg_cli_fail (full, error);
      fprintf (stdout, "user %s: %" G_GINT64_FORMAT " sessions revoked\n", username, n);
      return 0;
    }

  if (strcmp (command, "passwd") == 0)
    {
      g_autoptr(DgAuth) auth = dg_auth_new (store);

      hash = dg_auth_hash_password (auth, password, &error);
      memset (password, 0, sizeof password);
      if (hash == NULL)
        return dg_cli_fail (full, error);
    }
  else
    {
      patch.set_disabled = TRUE;
      patch.disabled = strcmp (command, "disable") == 0;
    }

  user = dg_store_update_user (store, username, &patch, hash, DG_CLI_ACTOR, &error);
  if (user == NULL)
    return dg_cli_fail (full, error);

  if (hash != NULL)
    fprintf (stdout, "user %s: password changed, sessions revoked\n", username);
  else
    fprintf (stdout, "user %s %s\n", username, user->disabled ? "disabled" : "enabled");
  return 0;
}

int
dg_cli_user (int    argc,
             char **argv)
{
  static const char *const named[] = { "disable", "enable", "revoke", "passwd" };
  const char *command;

  if (argc < 2)
    {
      dg_cli_usage ();
      return DG_CLI_EXIT_USAGE;
    }
  command = argv[1];
  /* The subcommand sees itself as argv[0]. */
  argv[1] = argv[0];
  argc--;
  argv++;

  if (strcmp (command, "add") == 0)
    return user_add (argc, argv);
  if (strcmp (command, "list") == 0)
    return user_list (argc, argv);
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    {
      if (strcmp (command, named[i]) == 0)
        return user_named (command, argc, argv);
    }

  dg_cli_usage ();
  return DG_CLI_EXIT_USAGE;
}
