/* dg-config.c: the server's settings file (see dg-config.h). */
#define G_LOG_DOMAIN "dg-config"

#include "config.h"

#include <string.h>

#include "dg-config.h"

typedef enum
{
  SETTING_PATH,      /* a file or folder: relative to the settings file */
  SETTING_DATABASE,  /* a path, or a URI kept as written */
  SETTING_STRING,
  SETTING_INT,
} SettingKind;

typedef struct
{
  const char  *group;
  const char  *key;
  SettingKind  kind;
  int          min, max;
  gsize        offset;
} Setting;

#define FIELD(name) G_STRUCT_OFFSET (DgServerConfig, name)

static const Setting settings[] = {
  { "server", "database",     SETTING_DATABASE, 0, 0,     FIELD (database) },
  { "server", "listen",       SETTING_STRING,   0, 0,     FIELD (listen) },
  { "server", "port",         SETTING_INT,      0, 65535, FIELD (port) },
  { "server", "tls-cert",     SETTING_PATH,     0, 0,     FIELD (tls_cert) },
  { "server", "tls-key",      SETTING_PATH,     0, 0,     FIELD (tls_key) },
  { "server", "idle-timeout", SETTING_INT,      0, 86400, FIELD (idle_timeout) },
  { "backup", "keep-days",    SETTING_INT,      1, 3650,  FIELD (keep_days) },
};

static const Setting *
find_setting (const char *group,
              const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].group, group) == 0 && (key == NULL || strcmp (settings[i].key, key) == 0))
      return &settings[i];

  return NULL;
}

static char *
resolve_path (const char *config_path,
              const char *value)
{
  g_autofree char *dir = NULL;

  if (g_path_is_absolute (value))
    return g_strdup (value);

  dir = g_path_get_dirname (config_path);
  return g_build_filename (dir, value, NULL);
}

static gboolean
read_setting (DgServerConfig  *config,
              GKeyFile        *file,
              const Setting   *setting,
              GError         **error)
{
  gpointer field = G_STRUCT_MEMBER_P (config, setting->offset);
  g_autofree char *value = NULL;

  value = g_key_file_get_string (file, setting->group, setting->key, error);
  if (value == NULL)
    return FALSE;
  g_strstrip (value);

  switch (setting->kind)
    {
    case SETTING_INT:
      {
        gint64 n;

        if (!g_ascii_string_to_signed (value, 10, setting->min, setting->max, &n, NULL))
          {
            g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                         "%s: [%s] %s must be a whole number from %d to %d", config->path,
                         setting->group, setting->key, setting->min, setting->max);
            return FALSE;
          }
        *(int *) field = (int) n;
        return TRUE;
      }

    case SETTING_DATABASE:
      if (strstr (value, "://") != NULL)
        {
          *(char **) field = g_steal_pointer (&value);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case SETTING_PATH:
      if (*value == '\0')
        return TRUE;
      *(char **) field = resolve_path (config->path, value);
      return TRUE;

    case SETTING_STRING:
      if (*value != '\0')
        *(char **) field = g_steal_pointer (&value);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

DgServerConfig *
dg_server_config_load (const char  *path,
                       GError     **error)
{
  g_autoptr(DgServerConfig) config = g_new0 (DgServerConfig, 1);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  config->path = g_strdup (path);
  config->port = -1;
  config->idle_timeout = -1;
  config->keep_days = -1;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = NULL;

      if (find_setting (groups[g], NULL) == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                       "%s: unknown group [%s]", path, groups[g]);
          return NULL;
        }

      keys = g_key_file_get_keys (file, groups[g], NULL, NULL);
      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          const Setting *setting = find_setting (groups[g], keys[k]);

          if (setting == NULL)
            {
              g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                           "%s: unknown setting %s in [%s]", path, keys[k], groups[g]);
              return NULL;
            }
          if (!read_setting (config, file, setting, error))
            return NULL;
        }
    }

  return g_steal_pointer (&config);
}

void
dg_server_config_free (DgServerConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->path);
  g_free (config->database);
  g_free (config->listen);
  g_free (config->tls_cert);
  g_free (config->tls_key);
  g_free (config);
}
