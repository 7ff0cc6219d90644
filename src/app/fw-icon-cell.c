/* fw-icon-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kind icon of the event list.  A GtkImage asks for a new size whenever
 * its icon changes, and that request travels up to the window, which then
 * measures itself again (on X11 with round trips to the server).  Rows change
 * their icon many times a second, so a cell is 16 pixels square whatever it
 * shows and a new icon costs a redraw only.  The icon is drawn in the cell's
 * CSS colour, as GtkImage draws symbolic icons.
 */

#define G_LOG_DOMAIN "fw-icon-cell"

#include "config.h"

#include "fw-icon-cell.h"

#define ICON_SIZE 16

struct _FwIconCell
{
  GtkWidget         parent_instance;

  char             *icon_name;
  GtkIconPaintable *paintable;
};

G_DEFINE_FINAL_TYPE (FwIconCell, fw_icon_cell, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fw_icon_cell_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = ICON_SIZE;
}

static void
fw_icon_cell_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FwIconCell *self = FW_ICON_CELL (widget);
  GdkRGBA colors[4];
  float x, y;

  if (self->icon_name == NULL)
    return;

  if (self->paintable == NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));

      self->paintable = gtk_icon_theme_lookup_icon (theme, self->icon_name, NULL, ICON_SIZE,
                                                    gtk_widget_get_scale_factor (widget),
                                                    gtk_widget_get_direction (widget), 0);
    }

  /* Foreground, then the error, warning and success colours GTK uses for
   * symbolic icons by default (#cc0000, #f57900, #4e9a06). */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colors[0]);
  G_GNUC_END_IGNORE_DEPRECATIONS
  colors[1] = (GdkRGBA) { 0xcc / 255.0f, 0x00 / 255.0f, 0x00 / 255.0f, 1.0f };
  colors[2] = (GdkRGBA) { 0xf5 / 255.0f, 0x79 / 255.0f, 0x00 / 255.0f, 1.0f };
  colors[3] = (GdkRGBA) { 0x4e / 255.0f, 0x9a / 255.0f, 0x06 / 255.0f, 1.0f };

  x = (gtk_widget_get_width (widget) - ICON_SIZE) / 2.0f;
  y = (gtk_widget_get_height (widget) - ICON_SIZE) / 2.0f;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (self->paintable), snapshot,
                                            ICON_SIZE, ICON_SIZE, colors, G_N_ELEMENTS (colors));
  gtk_snapshot_restore (snapshot);
}

static void
forget_paintable (FwIconCell *self)
{
  g_clear_object (&self->paintable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fw_icon_cell_direction_changed (GtkWidget        *widget,
                                GtkTextDirection  previous_direction)
{
  forget_paintable (FW_ICON_CELL (widget));
}

static void
fw_icon_cell_finalize (GObject *object)
{
  FwIconCell *self = (FwIconCell *)object;

  g_clear_object (&self->paintable);
  g_clear_pointer (&self->icon_name, g_free);

  G_OBJECT_CLASS (fw_icon_cell_parent_class)->finalize (object);
}

static void
fw_icon_cell_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FwIconCell *self = FW_ICON_CELL (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_icon_cell_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FwIconCell *self = FW_ICON_CELL (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      fw_icon_cell_set_icon_name (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fw_icon_cell_class_init (FwIconCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fw_icon_cell_finalize;
  object_class->get_property = fw_icon_cell_get_property;
  object_class->set_property = fw_icon_cell_set_property;

  widget_class->measure = fw_icon_cell_measure;
  widget_class->snapshot = fw_icon_cell_snapshot;
  widget_class->direction_changed = fw_icon_cell_direction_changed;

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "image");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
fw_icon_cell_init (FwIconCell *self)
{
}

GtkWidget *
fw_icon_cell_new (void)
{
  return g_object_new (FW_TYPE_ICON_CELL, NULL);
}

const char *
fw_icon_cell_get_icon_name (FwIconCell *self)
{
  g_return_val_if_fail (FW_IS_ICON_CELL (self), NULL);

  return self->icon_name;
}

/* A redraw, never a new size. */
void
fw_icon_cell_set_icon_name (FwIconCell *self,
                            const char *icon_name)
{
  g_return_if_fail (FW_IS_ICON_CELL (self));

  if (g_strcmp0 (self->icon_name, icon_name) == 0)
    return;

  g_free (self->icon_name);
  self->icon_name = g_strdup (icon_name);
  forget_paintable (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}
