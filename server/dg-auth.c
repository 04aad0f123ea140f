/* dg-auth.c: passwords, tokens and login rate limiting. */
#define G_LOG_DOMAIN "dg-auth"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "dg-auth.h"

#define MAX_CONCURRENT_HASHES 2
#define TOKEN_BYTES 32
#define MAX_TRACKED_USERS 4096

struct _DgAuth
{
  GObject     parent_instance;

  DgStore    *store;
  gboolean    min_cost;

  /* A counting semaphore over the Argon2 hashes in progress. */
  GMutex      hash_lock;
  GCond       hash_cond;
  guint       n_hashing;

  /* username -> GArray of gint64 monotonic times of recent failed logins. */
  GMutex      failures_lock;
  GHashTable *failures;

  /* Verified against when the user does not exist, so that the answer takes as long. */
  GOnce       dummy_once;
};

G_DEFINE_FINAL_TYPE (DgAuth, dg_auth, G_TYPE_OBJECT)

static void
acquire_hash_slot (DgAuth *self)
{
  g_mutex_lock (&self->hash_lock);
  while (self->n_hashing >= MAX_CONCURRENT_HASHES)
    g_cond_wait (&self->hash_cond, &self->hash_lock);
  self->n_hashing++;
  g_mutex_unlock (&self->hash_lock);
}

static void
release_hash_slot (DgAuth *self)
{
  g_mutex_lock (&self->hash_lock);
  self->n_hashing--;
  g_cond_signal (&self->hash_cond);
  g_mutex_unlock (&self->hash_lock);
}

static gboolean
verify_password (DgAuth     *self,
                 const char *hash,
                 const char *password)
{
  int rc;

  acquire_hash_slot (self);
  rc = crypto_pwhash_str_verify (hash, password, strlen (password));
  release_hash_slot (self);

  return rc == 0;
}

static gpointer
make_dummy_hash (gpointer data)
{
  DgAuth *self = data;

  return dg_auth_hash_password (self, "dustgrid: no such user", NULL);
}

/* A new token: TOKEN_BYTES random bytes, in hex. */
static void
make_token (char hex[TOKEN_BYTES * 2 + 1])
{
  unsigned char bytes[TOKEN_BYTES];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, TOKEN_BYTES * 2 + 1, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
}

static char *
token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* Seconds until the user may try again, or 0. Drops failures older than the window. */
static guint
rate_limit_wait (DgAuth     *self,
                 const char *username)
{
  gint64 now = g_get_monotonic_time ();
  gint64 window = (gint64) DG_LOGIN_WINDOW_SECONDS * G_USEC_PER_SEC;
  GArray *times;
  guint wait = 0;

  g_mutex_lock (&self->failures_lock);
  times = g_hash_table_lookup (self->failures, username);
  if (times != NULL)
    {
      while (times->len > 0 && g_array_index (times, gint64, 0) <= now - window)
        g_array_remove_index (times, 0);
      if (times->len >= DG_LOGIN_MAX_FAILURES)
        {
          gint64 oldest = g_array_index (times, gint64, times->len - DG_LOGIN_MAX_FAILURES);

          wait = (guint) ((oldest + window - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
          wait = MAX (wait, 1);
        }
      if (times->len == 0)
        g_hash_table_remove (self->failures, username);
    }
  g_mutex_unlock (&self->failures_lock);

  return wait;
}

/* @when is a monotonic time; failures come in time order. */
static void
record_failure_at (DgAuth     *self,
                   const char *username,
                   gint64      when)
{
  gint64 now = g_get_monotonic_time ();
  GArray *times;

  g_mutex_lock (&self->failures_lock);
  times = g_hash_table_lookup (self->failures, username);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->failures, g_strdup (username), times);
    }
  g_array_append_val (times, when);
  /* Only the last few matter; a flood of failures must not grow memory. */
  if (times->len > DG_LOGIN_MAX_FAILURES * 2)
    g_array_remove_range (times, 0, times->len - DG_LOGIN_MAX_FAILURES * 2);

  /* Nor a flood of made-up user names: forget those whose failures have all expired. */
  if (g_hash_table_size (self->failures) > MAX_TRACKED_USERS)
    {
      gint64 window = (gint64) DG_LOGIN_WINDOW_SECONDS * G_USEC_PER_SEC;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->failures);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          GArray *array = value;

          if (array->len == 0 || g_array_index (array, gint64, array->len - 1) <= now - window)
            g_hash_table_iter_remove (&iter);
        }
    }
  g_mutex_unlock (&self->failures_lock);
}

static void
record_failure (DgAuth     *self,
                const char *username)
{
  record_failure_at (self, username, g_get_monotonic_time ());
}

static void
clear_failures (DgAuth     *self,
                const char *username)
{
  g_mutex_lock (&self->failures_lock);
  g_hash_table_remove (self->failures, username);
  g_mutex_unlock (&self->failures_lock);
}

static void
dg_auth_finalize (GObject *object)
{
  DgAuth *self = (DgAuth *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_free (self->dummy_once.retval);
  g_mutex_clear (&self->hash_lock);
  g_cond_clear (&self->hash_cond);
  g_mutex_clear (&self->failures_lock);

  G_OBJECT_CLASS (dg_auth_parent_class)->finalize (object);
}

static void
dg_auth_class_init (DgAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dg_auth_finalize;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialized");
}

static void
dg_auth_init (DgAuth *self)
{
  const char *min = g_getenv ("DUSTGRID_PWHASH_MIN");

  g_mutex_init (&self->hash_lock);
  g_cond_init (&self->hash_cond);
  g_mutex_init (&self->failures_lock);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_array_unref);
  self->min_cost = min != NULL && g_strcmp0 (min, "1") == 0;
}

DgAuth *
dg_auth_new (DgStore *store)
{
  DgAuth *self;

  g_return_val_if_fail (DG_IS_STORE (store), NULL);

  self = g_object_new (DG_TYPE_AUTH, NULL);
  self->store = g_object_ref (store);

  return self;
}

char *
dg_auth_hash_password (DgAuth      *self,
                       const char  *password,
                       GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];
  unsigned long long opslimit;
  size_t memlimit;
  int rc;

  g_return_val_if_fail (DG_IS_AUTH (self), NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (self->min_cost)
    {
      opslimit = crypto_pwhash_OPSLIMIT_MIN;
      memlimit = crypto_pwhash_MEMLIMIT_MIN;
    }
  else
    {
      opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }

  acquire_hash_slot (self);
  rc = crypto_pwhash_str_alg (hash, password, strlen (password), opslimit, memlimit,
                              crypto_pwhash_ALG_ARGON2ID13);
  release_hash_slot (self);

  if (rc != 0)
    {
      dg_set_error (error, DG_ERROR_UNAVAILABLE, NULL, "out of memory hashing a password");
      return NULL;
    }

  return g_strdup (hash);
}

char *
dg_auth_login (DgAuth      *self,
               const char  *username,
               const char  *password,
               DgRole      *role,
               char       **expires_at,
               guint       *retry_after,
               GError     **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *stored_hash = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(GError) local_error = NULL;
  char hex[TOKEN_BYTES * 2 + 1];
  DgRole user_role = DG_ROLE_INSPECTOR;
  gboolean found;
  gboolean ok;
  guint wait;
  gint64 now;

  g_return_val_if_fail (DG_IS_AUTH (self), NULL);

  wait = rate_limit_wait (self, username);
  if (wait > 0)
    {
      if (retry_after != NULL)
        *retry_after = wait;
      dg_set_error (error, DG_ERROR_RATE_LIMITED, NULL,
                    "too many failed logins; try again in %u s", wait);
      return NULL;
    }

  found = dg_store_lookup_user (self->store, username, &user, &stored_hash, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (found)
    {
      /* A disabled user's password is still checked, so the answer takes as long and says no
       * more than a wrong password would. */
      ok = verify_password (self, stored_hash, password) && !user->disabled;
      user_role = user->role;
    }
  else
    {
      const char *dummy = g_once (&self->dummy_once, make_dummy_hash, self);

      if (dummy != NULL)
        verify_password (self, dummy, password);
      ok = FALSE;
    }

  if (!ok)
    {
      g_autoptr(JsonObject) detail = json_object_new ();

      record_failure (self, username);
      /* For the administrator reading the log: a guessed name, a wrong password, or a user
       * who is disabled. */
      json_object_set_string_member (detail, "reason",
                                     !found ? "no_such_user" :
                                     user->disabled ? "disabled" : "wrong_password");
      if (!dg_store_audit (self->store, username, DG_AUDIT_LOGIN_FAILED, username, detail, error))
        return NULL;
      dg_set_error (error, DG_ERROR_UNAUTHORIZED, NULL, "wrong username or password");
      return NULL;
    }

  clear_failures (self, username);

  make_token (hex);
  now = g_get_real_time () / G_USEC_PER_SEC;
  hash = token_hash (hex);
  if (!dg_store_add_token (self->store, hash, username, now + DG_TOKEN_LIFETIME_SECONDS, error))
    return NULL;

  if (role != NULL)
    *role = user_role;
  if (expires_at != NULL)
    {
      expiry = g_date_time_new_from_unix_utc (now + DG_TOKEN_LIFETIME_SECONDS);
      *expires_at = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%SZ");
    }

  return g_strdup (hex);
}

char *
dg_auth_change_password (DgAuth      *self,
                         const char  *username,
                         const char  *old_password,
                         const char  *new_password,
                         char       **expires_at,
                         guint       *retry_after,
                         GError     **error)
{
  g_autofree char *stored_hash = NULL;
  g_autofree char *new_hash = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(DgUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  char hex[TOKEN_BYTES * 2 + 1];
  gint64 now;
  guint wait;

  g_return_val_if_fail (DG_IS_AUTH (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  /* A stolen token must not let its thief guess the password faster than a login would. */
  wait = rate_limit_wait (self, username);
  if (wait > 0)
    {
      if (retry_after != NULL)
        *retry_after = wait;
      dg_set_error (error, DG_ERROR_RATE_LIMITED, NULL,
                    "too many failed logins; try again in %u s", wait);
      return NULL;
    }

  if (!dg_store_lookup_user (self->store, username, &user, &stored_hash, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        dg_set_error (error, DG_ERROR_UNAUTHORIZED, NULL, "the token is invalid or expired");
      return NULL;
    }

  if (old_password == NULL || !verify_password (self, stored_hash, old_password))
    {
      g_autoptr(JsonObject) detail = json_object_new ();

      record_failure (self, username);
      json_object_set_string_member (detail, "reason", "wrong_old_password");
      if (!dg_store_audit (self->store, username, DG_AUDIT_LOGIN_FAILED, username, detail, error))
        return NULL;
      dg_set_error (error, DG_ERROR_UNAUTHORIZED, "old_password", "old_password is wrong");
      return NULL;
    }
  clear_failures (self, username);

  if (!dg_password_validate (new_password, "new_password", error))
    return NULL;
  new_hash = dg_auth_hash_password (self, new_password, error);
  if (new_hash == NULL)
    return NULL;

  make_token (hex);
  now = g_get_real_time () / G_USEC_PER_SEC;
  hash = token_hash (hex);
  if (!dg_store_change_password (self->store, username, new_hash, hash,
                                 now + DG_TOKEN_LIFETIME_SECONDS, error))
    return NULL;

  if (expires_at != NULL)
    {
      g_autoptr(GDateTime) expiry = g_date_time_new_from_unix_utc (now +
                                                                   DG_TOKEN_LIFETIME_SECONDS);

      *expires_at = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%SZ");
    }
  return g_strdup (hex);
}

gboolean
dg_auth_check_token (DgAuth      *self,
                     const char  *token,
                     char       **username,
                     DgRole      *role,
                     GError     **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DG_IS_AUTH (self), FALSE);

  if (token == NULL || strlen (token) != TOKEN_BYTES * 2)
    {
      dg_set_error (error, DG_ERROR_UNAUTHORIZED, NULL, "a valid bearer token is required");
      return FALSE;
    }

  /* The database is searched by the token's SHA-256, never by the token: the lookup's timing
   * tells nothing about the token, and a stolen database file holds no usable token. */
  hash = token_hash (token);
  if (!dg_store_lookup_token (self->store, hash, g_get_real_time () / G_USEC_PER_SEC,
                              username, role, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        dg_set_error (error, DG_ERROR_UNAUTHORIZED, NULL, "the token is invalid or expired");
      return FALSE;
    }

  return TRUE;
}

gboolean
dg_auth_revoke_token (DgAuth      *self,
                      const char  *token,
                      GError     **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (DG_IS_AUTH (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  hash = token_hash (token);
  return dg_store_revoke_token (self->store, hash, error);
}

/* The failed logins of the last window, read back from the audit log, which records each one
 * (design 6.1): a restart must not give a guesser five fresh tries. The log is walked from its
 * start, since it has no index by time; it grows by reference changes and administration, not
 * by records, so this is a matter of milliseconds even for a province. */
gboolean
dg_auth_restore_failures (DgAuth  *self,
                          GError **error)
{
  gint64 now_real = g_get_real_time ();
  gint64 now_mono = g_get_monotonic_time ();
  gint64 window = (gint64) DG_LOGIN_WINDOW_SECONDS * G_USEC_PER_SEC;
  gint64 since = 0;
  gboolean more = TRUE;

  g_return_val_if_fail (DG_IS_AUTH (self), FALSE);

  while (more)
    {
      g_autoptr(GPtrArray) events = NULL;

      events = dg_store_read_audit (self->store, since, 1000, &since, &more, error);
      if (events == NULL)
        return FALSE;
      for (guint i = 0; i < events->len; i++)
        {
          DgAuditEvent *event = g_ptr_array_index (events, i);
          g_autoptr(GDateTime) at = NULL;
          gint64 age;

          if (g_strcmp0 (event->action, DG_AUDIT_LOGIN_FAILED) != 0 || event->target == NULL)
            continue;
          at = g_date_time_new_from_iso8601 (event->at, NULL);
          if (at == NULL)
            continue;
          age = now_real - (g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at));
          if (age >= 0 && age < window)
            record_failure_at (self, event->target, now_mono - age);
        }
    }

  return TRUE;
}

void
dg_auth_reset_rate_limits (DgAuth *self)
{
  g_return_if_fail (DG_IS_AUTH (self));

  g_mutex_lock (&self->failures_lock);
  g_hash_table_remove_all (self->failures);
  g_mutex_unlock (&self->failures_lock);
}
