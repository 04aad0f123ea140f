/* dg-token-store.h: the session token, kept in a file only the user can read.
 *
 * libsecret is not among our dependencies: the token (and the server, user and role it belongs
 * to) is a small JSON file with 0600 permissions in the user's config directory.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DG_TYPE_TOKEN_STORE (dg_token_store_get_type ())
G_DECLARE_FINAL_TYPE (DgTokenStore, dg_token_store, DG, TOKEN_STORE, GObject)

/* g_get_user_config_dir()/dustgrid/session.json */
char         *dg_token_store_default_path (void);

/* Loads @path when it exists; a missing or unreadable file means "signed out". */
DgTokenStore *dg_token_store_new          (const char   *path);

gboolean      dg_token_store_save         (DgTokenStore *self,
                                           const char   *server_url,
                                           const char   *username,
                                           const char   *token,
                                           const char   *role,
                                           const char   *expires_at,
                                           GError      **error);
/* Forgets the token (keeps the server and user name for the next sign-in). */
void          dg_token_store_clear        (DgTokenStore *self);

const char   *dg_token_store_get_path       (DgTokenStore *self);
const char   *dg_token_store_get_server_url (DgTokenStore *self);
const char   *dg_token_store_get_username   (DgTokenStore *self);
const char   *dg_token_store_get_token      (DgTokenStore *self);
const char   *dg_token_store_get_role       (DgTokenStore *self);

G_END_DECLS
