#pragma once
// The colours that carry meaning in the UI, in one place: red for errors and failures, green
// for success. Mid-tones, so they stay readable on light and dark palettes alike.

#include <QColor>

class QWidget;

namespace rpcbench::Palette {

QColor errorColor();
QColor okColor();
// Translucent row backgrounds (the traffic log): read on light and dark palettes alike.
QColor errorTint();
QColor faultTint();
// A reply that arrived after its call had timed out.
QColor lateTint();
// A line a launched process wrote to its standard error (not a message).
QColor stderrTint();

// Shows the text of `widget` (a label) in the error colour, or in the normal colour again.
void setErrorText(QWidget* widget, bool error = true);

} // namespace rpcbench::Palette
