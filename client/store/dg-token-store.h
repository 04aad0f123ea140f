/* dg-token-store.h: the session token, in the keyring where there is one.
 *
 * The token goes to the Secret Service (GNOME Keyring, KWallet's bridge) under the server and
 * user it belongs to. The server, user name, role and expiry are no secret: they stay in a small
 * JSON file, 0600, in the user's config directory, which says too whether the token is in the
 * keyring. Where no Secret Service answers, the token is kept in that file instead, and
 * dg_token_store_get_in_keyring() says so, so that the app can tell the user.
 *
 * DUSTGRID_KEYRING=0 keeps the token in the file whatever answers: the test suite sets it so
 * that no test ever writes into a developer's own keyring.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DG_TYPE_TOKEN_STORE (dg_token_store_get_type ())
G_DECLARE_FINAL_TYPE (DgTokenStore, dg_token_store, DG, TOKEN_STORE, GObject)

/* g_get_user_config_dir()/dustgrid/session.json */
char         *dg_token_store_default_path (void);

/* Loads @path when it exists, and the token from the keyring when the file says it is there;
 * a missing or unreadable file, or a token the keyring no longer has, means "signed out". */
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
/* Whether the token is in the keyring (FALSE: in the file, or none). */
gboolean      dg_token_store_get_in_keyring (DgTokenStore *self);

G_END_DECLS
