/* dg-auth.h: passwords, tokens and login rate limiting (design section 5).
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str); at most two hashes run at
 * once, since each takes tens of megabytes and a fraction of a second. Tokens are 32 random bytes,
 * handed out in hex and stored only as their SHA-256, valid for 30 days.
 *
 * DUSTGRID_PWHASH_MIN=1 in the environment selects libsodium's minimum cost, for tests only.
 */
#pragma once

#include <glib-object.h>

#include "dg-store.h"

G_BEGIN_DECLS

#define DG_TYPE_AUTH (dg_auth_get_type ())
G_DECLARE_FINAL_TYPE (DgAuth, dg_auth, DG, AUTH, GObject)

#define DG_TOKEN_LIFETIME_SECONDS   (30 * 24 * 3600)
#define DG_LOGIN_MAX_FAILURES       5
#define DG_LOGIN_WINDOW_SECONDS     (15 * 60)

DgAuth     *dg_auth_new                 (DgStore     *store);

/* Blocking: an Argon2id hash of @password, waiting for a free hashing slot. */
char       *dg_auth_hash_password       (DgAuth      *self,
                                         const char  *password,
                                         GError     **error);

/* Blocking. Checks the rate limit, then the password; on success a new token (64 hex chars)
 * stored as a hash. Errors: DG_ERROR_RATE_LIMITED (with *retry_after in seconds),
 * DG_ERROR_UNAUTHORIZED, or a store error. */
char       *dg_auth_login               (DgAuth      *self,
                                         const char  *username,
                                         const char  *password,
                                         DgRole      *role,
                                         char       **expires_at,
                                         guint       *retry_after,
                                         GError     **error);

/* Blocking. A signed-in user's own new password (design 6.1): @old_password checked as a login
 * checks it (rate limit included: DG_ERROR_RATE_LIMITED; DG_ERROR_UNAUTHORIZED on field
 * "old_password" when wrong, logged in the audit log), @new_password validated
 * (DG_ERROR_INVALID_FIELD on "new_password"), every token of the user revoked and a new one
 * returned, as a login returns it. */
char       *dg_auth_change_password     (DgAuth      *self,
                                         const char  *username,
                                         const char  *old_password,
                                         const char  *new_password,
                                         char       **expires_at,
                                         guint       *retry_after,
                                         GError     **error);

/* Blocking. The user and role a bearer token stands for; DG_ERROR_UNAUTHORIZED when the token
 * is unknown, revoked or expired. */
gboolean    dg_auth_check_token         (DgAuth      *self,
                                         const char  *token,
                                         char       **username,
                                         DgRole      *role,
                                         GError     **error);
gboolean    dg_auth_revoke_token        (DgAuth      *self,
                                         const char  *token,
                                         GError     **error);

/* Blocking. Counts again the failed logins of the last DG_LOGIN_WINDOW_SECONDS that the audit
 * log holds, so that a restarted server keeps the rate limit where it stood; call before
 * serving. */
gboolean    dg_auth_restore_failures    (DgAuth      *self,
                                         GError     **error);

/* For tests: forget the failed logins. */
void        dg_auth_reset_rate_limits   (DgAuth      *self);

G_END_DECLS
