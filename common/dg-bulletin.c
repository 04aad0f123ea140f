/* dg-bulletin.c: the monthly bulletin (通报, design 6.3) as a Word document (.docx).
 *
 * A .docx is a zip of XML parts (ECMA-376, WordprocessingML). Each part is written with
 * libxml2's xmlTextWriter, which escapes every text and attribute, into memory; libzip packs
 * them into a zip in memory. Nothing touches the disk.
 *
 * The wording follows the bulletins district offices send (通报: a title, what was assessed,
 * the tables, praise, the named cells and what they must do by when); fonts are those of
 * Chinese official documents (方正小标宋 title, 黑体 headings, 仿宋 text), which Word and
 * LibreOffice replace with what they have.
 */
#define G_LOG_DOMAIN "dg-bulletin"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>
#include <zip.h>

#include "dg-assessment-private.h"
#include "dg-bulletin.h"
#include "dg-date.h"
#include "dg-error.h"

#define NS_W   "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R   "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT  "http://schemas.openxmlformats.org/package/2006/content-types"

#define DEFAULT_ISSUER "扬尘污染防治工作办公室"
#define NOTICE_PENDING "待下达"
#define N_BEST         5

/* A4 in twentieths of a point, with 2.54 cm margins: the text is 9026 wide. */
#define PAGE_W  11906
#define PAGE_H  16838
#define MARGIN  1440
#define TEXT_W  (PAGE_W - 2 * MARGIN)

/* Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt. */
#define SIZE_TITLE   44
#define SIZE_HEADING 32
#define SIZE_TEXT    28
#define SIZE_TABLE   21

typedef struct
{
  xmlBufferPtr     buffer;
  xmlTextWriterPtr w;
  gboolean         failed;
} Part;

/* ---- xmlTextWriter, with the failure noted once instead of checked at every call ---- */

static void
part_open (Part *part)
{
  part->buffer = xmlBufferCreate ();
  part->w = part->buffer != NULL ? xmlNewTextWriterMemory (part->buffer, 0) : NULL;
  part->failed = part->w == NULL ||
                 xmlTextWriterStartDocument (part->w, NULL, "UTF-8", "yes") < 0;
}

static void
start (Part       *part,
       const char *name)
{
  if (!part->failed && xmlTextWriterStartElement (part->w, BAD_CAST name) < 0)
    part->failed = TRUE;
}

static void
end (Part *part)
{
  if (!part->failed && xmlTextWriterEndElement (part->w) < 0)
    part->failed = TRUE;
}

static void
attr (Part       *part,
      const char *name,
      const char *value)
{
  if (!part->failed && xmlTextWriterWriteAttribute (part->w, BAD_CAST name, BAD_CAST value) < 0)
    part->failed = TRUE;
}

static void
attr_int (Part       *part,
          const char *name,
          int         value)
{
  char buf[16];

  g_snprintf (buf, sizeof buf, "%d", value);
  attr (part, name, buf);
}

static void
text (Part       *part,
      const char *value)
{
  if (!part->failed && xmlTextWriterWriteString (part->w, BAD_CAST value) < 0)
    part->failed = TRUE;
}

/* An empty element with one attribute, the common shape of WordprocessingML's properties. */
static void
empty1 (Part       *part,
        const char *name,
        const char *attr_name,
        const char *value)
{
  start (part, name);
  if (attr_name != NULL)
    attr (part, attr_name, value);
  end (part);
}

/* The part's bytes, or NULL when any call failed. */
static GBytes *
part_close (Part *part)
{
  GBytes *bytes = NULL;

  if (!part->failed && xmlTextWriterEndDocument (part->w) < 0)
    part->failed = TRUE;
  g_clear_pointer (&part->w, xmlFreeTextWriter);
  if (!part->failed)
    bytes = g_bytes_new (xmlBufferContent (part->buffer), (gsize) xmlBufferLength (part->buffer));
  g_clear_pointer (&part->buffer, xmlBufferFree);
  return bytes;
}

/* ---- The document's building blocks ---- */

typedef enum
{
  ALIGN_LEFT,
  ALIGN_CENTER,
  ALIGN_BOTH,
  ALIGN_RIGHT,
} Align;

static const char *
align_value (Align align)
{
  switch (align)
    {
    case ALIGN_CENTER:
      return "center";
    case ALIGN_BOTH:
      return "both";
    case ALIGN_RIGHT:
      return "right";
    case ALIGN_LEFT:
    default:
      return "left";
    }
}

typedef struct
{
  const char *style;       /* a style of styles.xml, or NULL for Normal */
  Align       align;
  gboolean    indent;      /* the first line indented two characters, as Chinese text is */
  gboolean    bold;
  int         size;        /* half-points; 0: the style's */
} ParaFormat;

/* A run's size in half-points, for Latin and complex scripts alike (w:sz, w:szCs). */
static void
font_size (Part *part,
           int   size)
{
  start (part, "w:sz");
  attr_int (part, "w:val", size);
  end (part);
  start (part, "w:szCs");
  attr_int (part, "w:val", size);
  end (part);
}

static void
run (Part       *part,
     const char *value,
     gboolean    bold,
     int         size)
{
  start (part, "w:r");
  if (bold || size > 0)
    {
      start (part, "w:rPr");
      if (bold)
        empty1 (part, "w:b", NULL, NULL);
      if (size > 0)
        font_size (part, size);
      end (part);
    }
  start (part, "w:t");
  attr (part, "xml:space", "preserve");
  text (part, value);
  end (part);
  end (part);
}

static void
paragraph (Part             *part,
           const ParaFormat *format,
           const char       *value)
{
  start (part, "w:p");
  start (part, "w:pPr");
  if (format->style != NULL)
    empty1 (part, "w:pStyle", "w:val", format->style);
  if (format->indent)
    {
      /* Two characters, whatever the font size. */
      start (part, "w:ind");
      attr (part, "w:firstLineChars", "200");
      end (part);
    }
  empty1 (part, "w:jc", "w:val", align_value (format->align));
  end (part);
  if (value != NULL && *value != '\0')
    run (part, value, format->bold, format->size);
  end (part);
}

static void
body_text (Part       *part,
           const char *value)
{
  static const ParaFormat format = { NULL, ALIGN_BOTH, TRUE, FALSE, 0 };

  paragraph (part, &format, value);
}

static void
heading (Part       *part,
         const char *value)
{
  static const ParaFormat format = { "Heading1", ALIGN_LEFT, TRUE, FALSE, 0 };

  paragraph (part, &format, value);
}

/* A table of @n_cols columns, widths in twips summing to TEXT_W, borders all round, the
 * header row repeated on every page. */
typedef struct
{
  const char *header;
  int         width;
} Column;

static void
table_cell (Part             *part,
            int               width,
            const ParaFormat *format,
            const char       *value)
{
  start (part, "w:tc");
  start (part, "w:tcPr");
  start (part, "w:tcW");
  attr_int (part, "w:w", width);
  attr (part, "w:type", "dxa");
  end (part);
  empty1 (part, "w:vAlign", "w:val", "center");
  end (part);
  paragraph (part, format, value);
  end (part);
}

static void
table_start (Part         *part,
             const Column *columns,
             guint         n_cols)
{
  static const char *const borders[] = {
    "w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV",
  };
  static const ParaFormat header_format = { "TableText", ALIGN_CENTER, FALSE, TRUE, 0 };

  start (part, "w:tbl");
  start (part, "w:tblPr");
  start (part, "w:tblW");
  attr_int (part, "w:w", TEXT_W);
  attr (part, "w:type", "dxa");
  end (part);
  empty1 (part, "w:jc", "w:val", "center");
  start (part, "w:tblBorders");
  for (guint i = 0; i < G_N_ELEMENTS (borders); i++)
    {
      start (part, borders[i]);
      attr (part, "w:val", "single");
      attr (part, "w:sz", "4");
      attr (part, "w:space", "0");
      attr (part, "w:color", "000000");
      end (part);
    }
  end (part);
  empty1 (part, "w:tblLayout", "w:type", "fixed");
  end (part);

  start (part, "w:tblGrid");
  for (guint c = 0; c < n_cols; c++)
    {
      start (part, "w:gridCol");
      attr_int (part, "w:w", columns[c].width);
      end (part);
    }
  end (part);

  start (part, "w:tr");
  start (part, "w:trPr");
  empty1 (part, "w:tblHeader", NULL, NULL);
  end (part);
  for (guint c = 0; c < n_cols; c++)
    table_cell (part, columns[c].width, &header_format, columns[c].header);
  end (part);
}

/* One row; @cells holds @n_cols strings (NULL: empty). The first @left columns are names,
 * aligned left; the rest figures, centred. */
static void
table_row (Part               *part,
           const Column       *columns,
           guint               n_cols,
           const char *const  *cells,
           guint               left_from,
           guint               left_to)
{
  start (part, "w:tr");
  start (part, "w:trPr");
  empty1 (part, "w:cantSplit", NULL, NULL);
  end (part);
  for (guint c = 0; c < n_cols; c++)
    {
      ParaFormat format = { "TableText", ALIGN_CENTER, FALSE, FALSE, 0 };

      if (c >= left_from && c < left_to)
        format.align = ALIGN_LEFT;
      table_cell (part, columns[c].width, &format, cells[c]);
    }
  end (part);
}

static void
table_end (Part *part)
{
  end (part);
  /* Word wants a paragraph between two tables, and the text after one reads better apart. */
  body_text (part, NULL);
}

/* ---- Labels ---- */

static char *
month_label (const char *month)
{
  int year = 0, number = 0;

  if (month != NULL && sscanf (month, "%4d-%2d", &year, &number) == 2)
    return g_strdup_printf ("%d年%d月", year, number);
  return g_strdup (month != NULL ? month : "");
}

static char *
date_label (const char *date)
{
  int year = 0, month = 0, day = 0;

  if (date != NULL && sscanf (date, "%4d-%2d-%2d", &year, &month, &day) == 3)
    return g_strdup_printf ("%d年%d月%d日", year, month, day);
  return g_strdup (date != NULL ? date : "");
}

static char *
figure (gboolean has,
        double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return has ? g_strdup (dg_assessment_format1 (buf, value)) : g_strdup ("—");
}

static char *
percent (gboolean has,
         double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return has ? g_strdup_printf ("%s%%", dg_assessment_format1 (buf, value)) : g_strdup ("—");
}

/* The name of the unit of @cell: from the unit ranking by its unit_id, else its free text. */
static const char *
cell_unit_name (const DgBulletin *bulletin,
                const DgCellRank *cell)
{
  const DgUnitRank *unit = NULL;

  if (bulletin->units != NULL && cell->unit_id != NULL)
    unit = dg_unit_report_find (bulletin->units, cell->unit_id);
  if (unit != NULL && unit->name != NULL)
    return unit->name;
  return cell->unit != NULL ? cell->unit : "";
}

static const DgBulletinNotice *
find_notice (const DgBulletin *bulletin,
             const char       *cell_id)
{
  for (guint i = 0; bulletin->notices != NULL && i < bulletin->notices->len; i++)
    {
      const DgBulletinNotice *notice = g_ptr_array_index (bulletin->notices, i);

      if (g_strcmp0 (notice->cell_id, cell_id) == 0)
        return notice;
    }
  return NULL;
}

char *
dg_bulletin_title (const DgBulletin *bulletin)
{
  g_autofree char *month = NULL;

  g_return_val_if_fail (bulletin != NULL, NULL);

  month = month_label (bulletin->month);
  return g_strdup_printf ("%s扬尘污染防治工作通报", month);
}

/* ---- The parts ---- */

static void
write_summary (Part             *part,
               const DgBulletin *bulletin,
               const char       *month)
{
  const DgDustfallReport *df = bulletin->dustfall;
  char cap[G_ASCII_DTOSTR_BUF_SIZE], mean[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *intro = NULL;
  g_autofree char *figures = NULL;
  guint n_missing = dg_assessment_n_missing (df);

  body_text (part, "各责任单位：");
  intro = g_strdup_printf ("根据辖区扬尘污染防治工作方案，现将%s各网格降尘量监测结果及责任单位"
                           "考核排名情况通报如下。", month);
  body_text (part, intro);

  dg_assessment_format1 (cap, df->cap);
  if (df->has_district_mean)
    figures = g_strdup_printf ("本月参与排名网格 %u 个，缺测 %u 个；全区平均降尘量 %s "
                               DG_ASSESSMENT_DUSTFALL_UNIT "，控制限值 %s "
                               DG_ASSESSMENT_DUSTFALL_UNIT "，超标网格 %u 个。",
                               df->n_ranked, n_missing,
                               dg_assessment_format1 (mean, df->district_mean), cap,
                               df->n_exceeding);
  else
    figures = g_strdup_printf ("本月无网格取得有效降尘量数据（缺测 %u 个），控制限值 %s "
                               DG_ASSESSMENT_DUSTFALL_UNIT "。", n_missing, cap);
  body_text (part, figures);
}

static void
write_ranking (Part             *part,
               const DgBulletin *bulletin)
{
  static const Column columns[] = {
    { "排名", 700 }, { "网格编号", 1100 }, { "网格名称", 2226 }, { "责任单位", 1800 },
    { "降尘量", 1100 }, { "限值", 800 }, { "是否超标", 1300 },
  };
  const DgDustfallReport *df = bulletin->dustfall;
  char cap[G_ASCII_DTOSTR_BUF_SIZE];

  G_STATIC_ASSERT (700 + 1100 + 2226 + 1800 + 1100 + 800 + 1300 == TEXT_W);

  heading (part, "一、降尘量排名");
  body_text (part, "各网格按月降尘量由低到高排名（单位：" DG_ASSESSMENT_DUSTFALL_UNIT "，"
                   "数值相同者并列），缺测网格列于表末。");
  dg_assessment_format1 (cap, df->cap);
  table_start (part, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; df->cells != NULL && i < df->cells->len; i++)
    {
      const DgCellRank *c = g_ptr_array_index (df->cells, i);
      g_autofree char *rank = c->has_value ? g_strdup_printf ("%d", c->rank) : g_strdup ("—");
      g_autofree char *value = c->has_value ? figure (TRUE, c->value)
                                            : g_strdup (DG_ASSESSMENT_MISSING);
      const char *cells[] = {
        rank, c->code, c->name, cell_unit_name (bulletin, c), value, cap,
        !c->has_value ? "—" : c->exceeds ? DG_ASSESSMENT_EXCEEDS : DG_ASSESSMENT_COMPLIES,
      };

      table_row (part, columns, G_N_ELEMENTS (columns), cells, 2, 4);
    }
  table_end (part);
}

static void
write_units (Part             *part,
             const DgBulletin *bulletin)
{
  static const Column columns[] = {
    { "排名", 700 }, { "责任单位", 2326 }, { "网格数", 900 }, { "平均降尘量", 1300 },
    { "超标网格", 1000 }, { "环比", 1000 }, { "道路检查", 900 }, { "合格率", 900 },
  };

  G_STATIC_ASSERT (700 + 2326 + 900 + 1300 + 1000 + 1000 + 900 + 900 == TEXT_W);

  heading (part, "二、责任单位排名");
  body_text (part, "责任单位按所辖网格（含下级单位）平均降尘量由低到高排名，同级单位之间比较，"
                   "无有效数据的单位列于同级末尾；道路检查只计完整检查，合格率为合格检查所占比例。");
  table_start (part, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; bulletin->units != NULL && i < bulletin->units->units->len; i++)
    {
      const DgUnitRank *u = g_ptr_array_index (bulletin->units->units, i);
      g_autoptr(GString) name = g_string_new (NULL);
      g_autofree char *rank = u->rank > 0 ? g_strdup_printf ("%d", u->rank) : g_strdup ("—");
      g_autofree char *cells_n = g_strdup_printf ("%u/%u", u->cells_ranked, u->cells);
      g_autofree char *mean = u->has_mean ? figure (TRUE, u->mean)
                                          : g_strdup (DG_ASSESSMENT_MISSING);
      g_autofree char *exceeding = g_strdup_printf ("%u", u->exceeding);
      g_autofree char *mom = percent (u->has_mom, u->mom_pct);
      g_autofree char *checks = g_strdup_printf ("%u", u->checks);
      g_autofree char *rate = percent (u->has_pass_rate, u->pass_rate);
      const char *cells[8];

      /* A unit below another is indented under it, two full-width spaces a level. */
      for (guint d = 0; d < u->depth; d++)
        g_string_append (name, "　　");
      g_string_append (name, u->name != NULL ? u->name : "");
      cells[0] = rank;
      cells[1] = name->str;
      cells[2] = cells_n;
      cells[3] = mean;
      cells[4] = exceeding;
      cells[5] = mom;
      cells[6] = checks;
      cells[7] = rate;
      table_row (part, columns, G_N_ELEMENTS (columns), cells, 1, 2);
    }
  table_end (part);
}

static void
write_best (Part             *part,
            const DgBulletin *bulletin)
{
  static const Column columns[] = {
    { "排名", 900 }, { "网格编号", 1400 }, { "网格名称", 2926 }, { "责任单位", 2400 },
    { "降尘量", 1400 },
  };
  const DgDustfallReport *df = bulletin->dustfall;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *praise = NULL;
  guint n = 0;

  G_STATIC_ASSERT (900 + 1400 + 2926 + 2400 + 1400 == TEXT_W);

  heading (part, "三、表扬");
  for (guint i = 0; df->cells != NULL && i < df->cells->len && n < N_BEST; i++)
    {
      const DgCellRank *c = g_ptr_array_index (df->cells, i);
      const char *unit = cell_unit_name (bulletin, c);

      if (!c->has_value || c->exceeds)
        break;
      n++;
      if (*unit != '\0' && g_hash_table_add (seen, (gpointer) unit))
        g_string_append_printf (names, "%s%s", names->len > 0 ? "、" : "", unit);
    }

  if (n == 0)
    {
      body_text (part, "本月无达标网格取得有效数据，不予表扬。");
      return;
    }

  if (names->len > 0)
    praise = g_strdup_printf ("本月降尘量最低的 %u 个网格如下，对%s给予通报表扬，"
                              "望保持成效、再接再厉。", n, names->str);
  else
    praise = g_strdup_printf ("本月降尘量最低的 %u 个网格如下，给予通报表扬，望保持成效、再接再厉。",
                              n);
  body_text (part, praise);

  table_start (part, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < n; i++)
    {
      const DgCellRank *c = g_ptr_array_index (df->cells, i);
      g_autofree char *rank = g_strdup_printf ("%d", c->rank);
      g_autofree char *value = figure (TRUE, c->value);
      const char *cells[] = { rank, c->code, c->name, cell_unit_name (bulletin, c), value };

      table_row (part, columns, G_N_ELEMENTS (columns), cells, 2, 4);
    }
  table_end (part);
}

static void
write_exceeding (Part             *part,
                 const DgBulletin *bulletin)
{
  static const Column columns[] = {
    { "网格编号", 1000 }, { "网格名称", 1700 }, { "责任单位", 1500 }, { "降尘量", 900 },
    { "超出限值", 1000 }, { "整改通知", 1726 }, { "整改期限", 1200 },
  };
  const DgDustfallReport *df = bulletin->dustfall;
  g_autofree char *intro = NULL;

  G_STATIC_ASSERT (1000 + 1700 + 1500 + 900 + 1000 + 1726 + 1200 == TEXT_W);

  heading (part, "四、超标网格及整改要求");
  if (df->n_exceeding == 0)
    {
      body_text (part, "本月无降尘量超过控制限值的网格。");
      return;
    }

  intro = g_strdup_printf ("本月降尘量超过控制限值的网格共 %u 个，现予通报批评。相关责任单位要"
                           "立即查明原因，落实整改措施，于整改期限前将整改情况书面报送控尘办。",
                           df->n_exceeding);
  body_text (part, intro);

  table_start (part, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; df->cells != NULL && i < df->cells->len; i++)
    {
      const DgCellRank *c = g_ptr_array_index (df->cells, i);
      const DgBulletinNotice *notice;
      g_autofree char *value = NULL;
      g_autofree char *over = NULL;
      g_autofree char *deadline = NULL;

      if (!c->has_value || !c->exceeds)
        continue;

      notice = find_notice (bulletin, c->cell_id);
      value = figure (TRUE, c->value);
      over = percent (df->cap > 0, df->cap > 0 ? dg_report_percent_change (c->value, df->cap) : 0);
      deadline = notice != NULL ? date_label (notice->deadline) : g_strdup (NOTICE_PENDING);
      {
        const char *cells[] = {
          c->code, c->name, cell_unit_name (bulletin, c), value, over,
          notice != NULL && notice->reason != NULL ? notice->reason : NOTICE_PENDING, deadline,
        };

        table_row (part, columns, G_N_ELEMENTS (columns), cells, 1, 3);
      }
    }
  table_end (part);
}

static void
write_requirements (Part *part)
{
  heading (part, "五、工作要求");
  body_text (part, "（一）各责任单位要对照本通报排名，认真分析本辖区降尘量变化原因，"
                   "压实网格责任，做到问题早发现、早处置。");
  body_text (part, "（二）降尘量超标的网格，责任单位要逐一制定整改方案，明确责任人和完成时限，"
                   "加强施工工地、裸露土地、道路保洁和渣土运输管理，整改完成后申请复查。");
  body_text (part, "（三）控尘办将对整改情况进行跟踪复查，复查结果纳入下月考核；"
                   "逾期未整改或整改不到位的，将予以通报并按规定追究责任。");
}

static GBytes *
document_part (const DgBulletin *bulletin)
{
  static const ParaFormat title_format = { "Title", ALIGN_CENTER, FALSE, FALSE, 0 };
  static const ParaFormat sign_format = { NULL, ALIGN_RIGHT, FALSE, FALSE, 0 };
  Part part;
  g_autofree char *title = dg_bulletin_title (bulletin);
  g_autofree char *month = month_label (bulletin->month);
  g_autofree char *today = NULL;
  g_autofree char *issued = NULL;

  if (bulletin->issued_on == NULL)
    today = dg_date_today ();
  issued = date_label (bulletin->issued_on != NULL ? bulletin->issued_on : today);

  part_open (&part);
  start (&part, "w:document");
  attr (&part, "xmlns:w", NS_W);
  attr (&part, "xmlns:r", NS_R);
  start (&part, "w:body");

  paragraph (&part, &title_format, title);
  write_summary (&part, bulletin, month);
  write_ranking (&part, bulletin);
  write_units (&part, bulletin);
  write_best (&part, bulletin);
  write_exceeding (&part, bulletin);
  write_requirements (&part);
  body_text (&part, NULL);
  paragraph (&part, &sign_format,
             bulletin->issuer != NULL ? bulletin->issuer : DEFAULT_ISSUER);
  paragraph (&part, &sign_format, issued);

  start (&part, "w:sectPr");
  start (&part, "w:pgSz");
  attr_int (&part, "w:w", PAGE_W);
  attr_int (&part, "w:h", PAGE_H);
  end (&part);
  start (&part, "w:pgMar");
  attr_int (&part, "w:top", MARGIN);
  attr_int (&part, "w:right", MARGIN);
  attr_int (&part, "w:bottom", MARGIN);
  attr_int (&part, "w:left", MARGIN);
  attr (&part, "w:header", "851");
  attr (&part, "w:footer", "992");
  attr (&part, "w:gutter", "0");
  end (&part);
  end (&part);

  end (&part);
  end (&part);
  return part_close (&part);
}

/* A paragraph style: its fonts (Latin, East Asian) and size; @outline for a heading. */
static void
style (Part       *part,
       const char *id,
       const char *name,
       const char *latin,
       const char *east_asian,
       int         size,
       gboolean    bold,
       int         outline)
{
  start (part, "w:style");
  attr (part, "w:type", "paragraph");
  attr (part, "w:styleId", id);
  empty1 (part, "w:name", "w:val", name);
  if (!g_str_equal (id, "Normal"))
    empty1 (part, "w:basedOn", "w:val", "Normal");
  empty1 (part, "w:qFormat", NULL, NULL);
  /* In the schema's order (Word refuses another): keepNext, spacing, outlineLvl. */
  start (part, "w:pPr");
  if (outline >= 0)
    empty1 (part, "w:keepNext", NULL, NULL);
  start (part, "w:spacing");
  attr (part, "w:before", outline >= 0 || g_str_equal (id, "Title") ? "240" : "0");
  attr (part, "w:after", g_str_equal (id, "Title") ? "360" : "60");
  end (part);
  if (outline >= 0)
    {
      start (part, "w:outlineLvl");
      attr_int (part, "w:val", outline);
      end (part);
    }
  end (part);
  start (part, "w:rPr");
  start (part, "w:rFonts");
  attr (part, "w:ascii", latin);
  attr (part, "w:hAnsi", latin);
  attr (part, "w:eastAsia", east_asian);
  attr (part, "w:cs", latin);
  end (part);
  if (bold)
    empty1 (part, "w:b", NULL, NULL);
  font_size (part, size);
  end (part);
  end (part);
}

static GBytes *
styles_part (void)
{
  Part part;

  part_open (&part);
  start (&part, "w:styles");
  attr (&part, "xmlns:w", NS_W);

  start (&part, "w:docDefaults");
  start (&part, "w:rPrDefault");
  start (&part, "w:rPr");
  start (&part, "w:rFonts");
  attr (&part, "w:ascii", "Times New Roman");
  attr (&part, "w:hAnsi", "Times New Roman");
  attr (&part, "w:eastAsia", "仿宋");
  attr (&part, "w:cs", "Times New Roman");
  end (&part);
  start (&part, "w:lang");
  attr (&part, "w:val", "en-US");
  attr (&part, "w:eastAsia", "zh-CN");
  end (&part);
  end (&part);
  end (&part);
  end (&part);

  style (&part, "Normal", "Normal", "Times New Roman", "仿宋", SIZE_TEXT, FALSE, -1);
  style (&part, "Title", "Title", "Times New Roman", "方正小标宋简体", SIZE_TITLE, TRUE, -1);
  style (&part, "Heading1", "heading 1", "Times New Roman", "黑体", SIZE_HEADING, FALSE, 0);
  style (&part, "TableText", "Table Text", "Times New Roman", "宋体", SIZE_TABLE, FALSE, -1);

  end (&part);
  return part_close (&part);
}

static GBytes *
content_types_part (void)
{
  static const char *const defaults[][2] = {
    { "rels", "application/vnd.openxmlformats-package.relationships+xml" },
    { "xml", "application/xml" },
  };
  static const char *const overrides[][2] = {
    { "/word/document.xml",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" },
    { "/word/styles.xml",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml" },
    { "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml" },
  };
  Part part;

  part_open (&part);
  start (&part, "Types");
  attr (&part, "xmlns", NS_CT);
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      start (&part, "Default");
      attr (&part, "Extension", defaults[i][0]);
      attr (&part, "ContentType", defaults[i][1]);
      end (&part);
    }
  for (guint i = 0; i < G_N_ELEMENTS (overrides); i++)
    {
      start (&part, "Override");
      attr (&part, "PartName", overrides[i][0]);
      attr (&part, "ContentType", overrides[i][1]);
      end (&part);
    }
  end (&part);
  return part_close (&part);
}

/* A relationships part: @rels holds (id, type, target) triples. */
static GBytes *
relationships_part (const char *const (*rels)[3],
                    guint              n_rels)
{
  Part part;

  part_open (&part);
  start (&part, "Relationships");
  attr (&part, "xmlns", NS_PKG);
  for (guint i = 0; i < n_rels; i++)
    {
      start (&part, "Relationship");
      attr (&part, "Id", rels[i][0]);
      attr (&part, "Type", rels[i][1]);
      attr (&part, "Target", rels[i][2]);
      end (&part);
    }
  end (&part);
  return part_close (&part);
}

static GBytes *
core_part (const DgBulletin *bulletin)
{
  Part part;
  g_autofree char *title = dg_bulletin_title (bulletin);

  part_open (&part);
  start (&part, "cp:coreProperties");
  attr (&part, "xmlns:cp",
        "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
  attr (&part, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  start (&part, "dc:title");
  text (&part, title);
  end (&part);
  start (&part, "dc:creator");
  text (&part, bulletin->issuer != NULL ? bulletin->issuer : DEFAULT_ISSUER);
  end (&part);
  start (&part, "dc:language");
  text (&part, "zh-CN");
  end (&part);
  end (&part);
  return part_close (&part);
}

/* ---- The package ---- */

static gboolean
zip_failed (GError     **error,
            const char  *what,
            zip_error_t *zerror)
{
  dg_set_error (error, DG_ERROR_INTERNAL, NULL, "could not write the bulletin (%s): %s", what,
                zip_error_strerror (zerror));
  return FALSE;
}

GBytes *
dg_bulletin_render_docx (const DgBulletin  *bulletin,
                         GError           **error)
{
  static const char *const package_rels[][3] = {
    { "rId1", NS_R "/officeDocument", "word/document.xml" },
    { "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
              "core-properties", "docProps/core.xml" },
  };
  static const char *const document_rels[][3] = {
    { "rId1", NS_R "/styles", "styles.xml" },
  };
  const char *names[] = {
    "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
    "word/styles.xml", "docProps/core.xml",
  };
  GBytes *parts[G_N_ELEMENTS (names)] = { NULL, };
  zip_error_t zerror;
  zip_source_t *source = NULL;
  zip_t *archive = NULL;
  GBytes *result = NULL;
  zip_stat_t st;
  guint8 *data = NULL;

  g_return_val_if_fail (bulletin != NULL, NULL);
  g_return_val_if_fail (bulletin->dustfall != NULL, NULL);

  parts[0] = content_types_part ();
  parts[1] = relationships_part (package_rels, G_N_ELEMENTS (package_rels));
  parts[2] = document_part (bulletin);
  parts[3] = relationships_part (document_rels, G_N_ELEMENTS (document_rels));
  parts[4] = styles_part ();
  parts[5] = core_part (bulletin);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL)
        {
          dg_set_error (error, DG_ERROR_INTERNAL, NULL,
                        "could not write the bulletin's %s", names[i]);
          goto out;
        }
    }

  zip_error_init (&zerror);
  source = zip_source_buffer_create (NULL, 0, 0, &zerror);
  if (source == NULL)
    {
      zip_failed (error, "buffer", &zerror);
      goto out;
    }
  archive = zip_open_from_source (source, ZIP_TRUNCATE, &zerror);
  if (archive == NULL)
    {
      zip_failed (error, "open", &zerror);
      goto out;
    }
  /* The archive owns the source now; kept past zip_close(), which would free it, to read the
   * archive back. */
  zip_source_keep (source);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      gsize size;
      gconstpointer bytes = g_bytes_get_data (parts[i], &size);
      /* Borrowed: @parts outlive zip_close(), which reads them. */
      zip_source_t *part = zip_source_buffer (archive, bytes, size, 0);
      zip_int64_t index;

      if (part == NULL ||
          (index = zip_file_add (archive, names[i], part, ZIP_FL_ENC_UTF_8)) < 0)
        {
          if (part != NULL)
            zip_source_free (part);
          zip_failed (error, names[i], zip_get_error (archive));
          goto out;
        }
      /* The content types first and stored, as some readers expect; the rest deflated. */
      zip_set_file_compression (archive, (zip_uint64_t) index,
                                i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    }

  if (zip_close (archive) < 0)
    {
      zip_failed (error, "close", zip_get_error (archive));
      zip_discard (archive);
      archive = NULL;
      goto out;
    }
  archive = NULL;

  zip_stat_init (&st);
  if (zip_source_stat (source, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
      zip_source_open (source) < 0)
    {
      zip_failed (error, "read back", zip_source_error (source));
      goto out;
    }
  data = g_malloc (st.size > 0 ? st.size : 1);
  if (zip_source_read (source, data, st.size) != (zip_int64_t) st.size)
    {
      zip_failed (error, "read back", zip_source_error (source));
      zip_source_close (source);
      g_clear_pointer (&data, g_free);
      goto out;
    }
  zip_source_close (source);
  result = g_bytes_new_take (g_steal_pointer (&data), st.size);

out:
  if (archive != NULL)
    zip_discard (archive);
  if (source != NULL)
    zip_source_free (source);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_clear_pointer (&parts[i], g_bytes_unref);
  return result;
}
