/* fw-text-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column of the event list.  A GtkLabel measures its text whenever the text
 * changes, and a change of size travels up to the list, which then measures
 * its rows again: with rows changing many times a second that was most of
 * the window's work.  A cell is as wide as width-chars characters and one
 * line high whatever it shows, so new text costs a redraw only; the text is
 * laid out (and ellipsized) once, when it is drawn.
 */

#define G_LOG_DOMAIN "fw-text-cell"

#include "config.h"

#include <math.h>

#include "fw-text-cell.h"

struct _FwTextCell
{
  GtkWidget           parent_instance;

  char               *text;
  PangoLayout        *layout;
  int                 width_chars;
  float               xalign;
  PangoEllipsizeMode  ellipsize;
  gboolean            tabular_figures;
};

G_DEFINE_FINAL_TYPE (FwTextCell, fw_text_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_WIDTH_CHARS,
  PROP_XALIGN,
  PROP_ELLIPSIZE,
  PROP_TABULAR_FIGURES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fw_text_cell_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  FwTextCell *self = FW_TEXT_CELL (widget);
  PangoFontMetrics *metrics;

  metrics = pango_context_get_metrics (gtk_widget_get_pango_context (widget), NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* As GtkLabel counts width-chars. */
      int char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                            pango_font_metrics_get_approximate_digit_width (metrics));

      *minimum = *natural = PANGO_PIXELS_CEIL (char_width * self->width_chars);
    }
  else
    {
      int ascent = pango_font_metrics_get_ascent (metrics);
      int descent = pango_font_metrics_get_descent (metrics);
      int height = MAX (pango_font_metrics_get_height (metrics), ascent + descent);

      *minimum = *natural = PANGO_PIXELS_CEIL (height);
      *minimum_baseline = *natural_baseline = PANGO_PIXELS_CEIL (ascent + (height - ascent - descent) / 2);
    }

  pango_font_metrics_unref (metrics);
}

static PangoLayout *
ensure_layout (FwTextCell *self)
{
  if (self->layout == NULL)
    {
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      pango_layout_set_ellipsize (self->layout, self->ellipsize);
      if (self->tabular_figures)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
          pango_layout_set_attributes (self->layout, attrs);
          pango_attr_list_unref (attrs);
        }
    }
  return self->layout;
}

static void
fw_text_cell_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FwTextCell *self = FW_TEXT_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  PangoRectangle logical;
  GdkRGBA color;
  float xalign = self->xalign;
  float x, y;

  if (self->text == NULL || self->text[0] == '\0' || width <= 0 || height <= 0)
    return;

  layout = ensure_layout (self);
  /* Without ellipsizing a width would wrap the text. */
  pango_layout_set_width (layout, self->ellipsize != PANGO_ELLIPSIZE_NONE ? width * PANGO_SCALE : -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;
  x = floorf (xalign * (width - logical.width)) - logical.x;
  y = floorf ((height - logical.height) / 2.0f) - logical.y;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
fw_text_cell_direction_changed (GtkWidget        *widget,
                                GtkTextDirection  previous_direction)
{
  FwTextCell *self = FW_TEXT_CELL (widget);

  if (self->layout != NULL)
    pango_layout_context_changed (self->layout);
  gtk_widget_queue_draw (widget);
}

static void
fw_text_cell_finalize (GObject *object)
{
  FwTextCell *self = (FwTextCell *)object;

  g_clear_object (&self->layout);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (fw_text_cell_parent_class)->finalize (object);
}

static void
fw_text_cell_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwTextCell *self = FW_TEXT_CELL (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_WIDTH_CHARS:
      g_value_set_int (value, self->width_chars);
      break;

    case PROP_XALIGN:
      g_value_set_float (value, self->xalign);
      break;

    case PROP_ELLIPSIZE:
      g_value_set_enum (value, self->ellipsize);
      break;

    case PROP_TABULAR_FIGURES:
      g_value_set_boolean (value, self->tabular_figures);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_text_cell_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FwTextCell *self = FW_TEXT_CELL (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      fw_text_cell_set_text (self, g_value_get_string (value));
      break;

    case PROP_WIDTH_CHARS:
      fw_text_cell_set_width_chars (self, g_value_get_int (value));
      break;

    case PROP_XALIGN:
      self->xalign = g_value_get_float (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case PROP_ELLIPSIZE:
      self->ellipsize = g_value_get_enum (value);
      if (self->layout != NULL)
        pango_layout_set_ellipsize (self->layout, self->ellipsize);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case PROP_TABULAR_FIGURES:
      self->tabular_figures = g_value_get_boolean (value);
      g_clear_object (&self->layout);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_text_cell_class_init (FwTextCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fw_text_cell_finalize;
  object_class->get_property = fw_text_cell_get_property;
  object_class->set_property = fw_text_cell_set_property;

  widget_class->measure = fw_text_cell_measure;
  widget_class->snapshot = fw_text_cell_snapshot;
  widget_class->direction_changed = fw_text_cell_direction_changed;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_WIDTH_CHARS] =
    g_param_spec_int ("width-chars", NULL, NULL,
                      0, 1000, 10,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL,
                        0.0f, 1.0f, 0.0f,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_ELLIPSIZE] =
    g_param_spec_enum ("ellipsize", NULL, NULL,
                       PANGO_TYPE_ELLIPSIZE_MODE, PANGO_ELLIPSIZE_END,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  properties[PROP_TABULAR_FIGURES] =
    g_param_spec_boolean ("tabular-figures", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Adwaita's label styles (dim-label, caption, heading) apply. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
fw_text_cell_init (FwTextCell *self)
{
  self->width_chars = 10;
  self->ellipsize = PANGO_ELLIPSIZE_END;
}

GtkWidget *
fw_text_cell_new (void)
{
  return g_object_new (FW_TYPE_TEXT_CELL, NULL);
}

const char *
fw_text_cell_get_text (FwTextCell *self)
{
  g_return_val_if_fail (FW_IS_TEXT_CELL (self), NULL);

  return self->text != NULL ? self->text : "";
}

/* A redraw, never a new size. */
void
fw_text_cell_set_text (FwTextCell *self,
                       const char *text)
{
  g_return_if_fail (FW_IS_TEXT_CELL (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, self->text != NULL ? self->text : "", -1);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->text != NULL ? self->text : "",
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

int
fw_text_cell_get_width_chars (FwTextCell *self)
{
  g_return_val_if_fail (FW_IS_TEXT_CELL (self), 0);

  return self->width_chars;
}

void
fw_text_cell_set_width_chars (FwTextCell *self,
                              int         width_chars)
{
  g_return_if_fail (FW_IS_TEXT_CELL (self));

  if (self->width_chars == width_chars)
    return;

  self->width_chars = width_chars;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH_CHARS]);
}
