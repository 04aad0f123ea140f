/* dg-token-store.c: see dg-token-store.h for where the token is kept and why. */

#define G_LOG_DOMAIN "dg-token-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "dustgrid-common.h"
#include "dg-token-store.h"

struct _DgTokenStore
{
  GObject  parent_instance;

  char    *path;
  char    *server_url;
  char    *username;
  char    *token;
  char    *role;
  char    *expires_at;
  gboolean in_keyring;
  GMutex   mutex;
};

G_DEFINE_FINAL_TYPE (DgTokenStore, dg_token_store, G_TYPE_OBJECT)

/* One keyring entry per server and user: signing in to a second server keeps the first's. */
static const SecretSchema token_schema = {
  "org.dustgrid.DustGrid.Session", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static gboolean
keyring_wanted (void)
{
  return g_strcmp0 (g_getenv ("DUSTGRID_KEYRING"), "0") != 0;
}

/* FALSE where no Secret Service answers (no session bus, no keyring daemon, a locked keyring
 * the user would not open): the caller keeps the token in the file. */
static gboolean
keyring_store (const char *server_url,
               const char *username,
               const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  if (!keyring_wanted () || server_url == NULL || username == NULL)
    return FALSE;

  /* Translators: the name of the keyring entry, as Seahorse lists it: user and server. */
  label = g_strdup_printf (_("DustGrid session of %s on %s"), username, server_url);
  if (!secret_password_store_sync (&token_schema, SECRET_COLLECTION_DEFAULT, label, token,
                                   NULL, &error, "server", server_url, "user", username, NULL))
    {
      g_debug ("No keyring for the session token, keeping it in the file: %s", error->message);
      return FALSE;
    }

  return TRUE;
}

static char *
keyring_lookup (const char *server_url,
                const char *username)
{
  g_autoptr(GError) error = NULL;
  char *token;

  if (!keyring_wanted () || server_url == NULL || username == NULL)
    return NULL;

  token = secret_password_lookup_sync (&token_schema, NULL, &error,
                                       "server", server_url, "user", username, NULL);
  if (error != NULL)
    g_debug ("Could not read the session token from the keyring: %s", error->message);

  return token;
}

static void
keyring_forget (const char *server_url,
                const char *username)
{
  g_autoptr(GError) error = NULL;

  if (!keyring_wanted () || server_url == NULL || username == NULL)
    return;

  if (!secret_password_clear_sync (&token_schema, NULL, &error,
                                   "server", server_url, "user", username, NULL) &&
      error != NULL)
    g_warning ("Could not remove the session token from the keyring: %s", error->message);
}

static gboolean
write_file (DgTokenStore  *self,
            GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);

  json_builder_begin_object (builder);
#define ADD(name, value) \
  if (value) { json_builder_set_member_name (builder, name); \
               json_builder_add_string_value (builder, value); }
  ADD ("server_url", self->server_url);
  ADD ("username", self->username);
  if (!self->in_keyring)
    ADD ("token", self->token);
  ADD ("role", self->role);
  ADD ("expires_at", self->expires_at);
#undef ADD
  if (self->in_keyring)
    {
      json_builder_set_member_name (builder, "token_in");
      json_builder_add_string_value (builder, "keyring");
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = dg_json_to_string (root);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  /* The file is created 0600 before the token is written into it. */
  return g_file_set_contents_full (self->path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
load (DgTokenStore *self)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *token_in = NULL;
  gsize length;
  JsonObject *object;

  if (!g_file_get_contents (self->path, &text, &length, NULL))
    return;
  root = dg_json_parse (text, length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  dg_json_get_string_opt (object, "server_url", 4096, &self->server_url, NULL);
  dg_json_get_string_opt (object, "username", 1024, &self->username, NULL);
  dg_json_get_string_opt (object, "token", 4096, &self->token, NULL);
  dg_json_get_string_opt (object, "role", 64, &self->role, NULL);
  dg_json_get_string_opt (object, "expires_at", 64, &self->expires_at, NULL);
  dg_json_get_string_opt (object, "token_in", 64, &token_in, NULL);

  if (g_strcmp0 (token_in, "keyring") == 0 && self->token == NULL)
    {
      self->token = keyring_lookup (self->server_url, self->username);
      self->in_keyring = self->token != NULL;
    }
}

static void
dg_token_store_finalize (GObject *object)
{
  DgTokenStore *self = (DgTokenStore *)object;

  g_free (self->path);
  g_free (self->server_url);
  g_free (self->username);
  g_free (self->token);
  g_free (self->role);
  g_free (self->expires_at);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (dg_token_store_parent_class)->finalize (object);
}

static void
dg_token_store_class_init (DgTokenStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dg_token_store_finalize;
}

static void
dg_token_store_init (DgTokenStore *self)
{
  g_mutex_init (&self->mutex);
}

char *
dg_token_store_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "dustgrid", "session.json", NULL);
}

DgTokenStore *
dg_token_store_new (const char *path)
{
  DgTokenStore *self = g_object_new (DG_TYPE_TOKEN_STORE, NULL);

  self->path = path ? g_strdup (path) : dg_token_store_default_path ();
  load (self);
  return self;
}

gboolean
dg_token_store_save (DgTokenStore  *self,
                     const char    *server_url,
                     const char    *username,
                     const char    *token,
                     const char    *role,
                     const char    *expires_at,
                     GError       **error)
{
  g_autofree char *old_server_url = NULL;
  g_autofree char *old_username = NULL;
  gboolean was_in_keyring;
  gboolean ok;

  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);
  was_in_keyring = self->in_keyring;
  old_server_url = g_steal_pointer (&self->server_url);
  old_username = g_steal_pointer (&self->username);
#define SET(field) g_free (self->field); self->field = g_strdup (field)
  SET (server_url);
  SET (username);
  SET (token);
  SET (role);
  SET (expires_at);
#undef SET
  self->in_keyring = token != NULL && keyring_store (server_url, username, token);
  /* The entry of the session this one replaces, unless the store above overwrote it. */
  if (was_in_keyring && (!self->in_keyring || g_strcmp0 (old_server_url, server_url) != 0 ||
                         g_strcmp0 (old_username, username) != 0))
    keyring_forget (old_server_url, old_username);
  ok = write_file (self, error);
  g_mutex_unlock (&self->mutex);
  return ok;
}

void
dg_token_store_clear (DgTokenStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DG_IS_TOKEN_STORE (self));

  g_mutex_lock (&self->mutex);
  if (self->in_keyring)
    keyring_forget (self->server_url, self->username);
  self->in_keyring = FALSE;
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->expires_at, g_free);
  if (!write_file (self, &error))
    g_warning ("Could not forget the session: %s", error->message);
  g_mutex_unlock (&self->mutex);
}

const char *
dg_token_store_get_path (DgTokenStore *self)
{
  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), NULL);
  return self->path;
}

const char *
dg_token_store_get_server_url (DgTokenStore *self)
{
  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), NULL);
  return self->server_url;
}

const char *
dg_token_store_get_username (DgTokenStore *self)
{
  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), NULL);
  return self->username;
}

const char *
dg_token_store_get_token (DgTokenStore *self)
{
  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), NULL);
  return self->token;
}

const char *
dg_token_store_get_role (DgTokenStore *self)
{
  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), NULL);
  return self->role;
}

gboolean
dg_token_store_get_in_keyring (DgTokenStore *self)
{
  g_return_val_if_fail (DG_IS_TOKEN_STORE (self), FALSE);
  return self->in_keyring;
}
