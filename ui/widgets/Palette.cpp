#include "widgets/Palette.h"

#include <QWidget>

namespace rpcbench::Palette {

QColor errorColor()
{
    return {214, 69, 65};
}

QColor okColor()
{
    return {46, 158, 68};
}

QColor errorTint()
{
    return {230, 60, 60, 60};
}

QColor faultTint()
{
    return {230, 150, 30, 60};
}

QColor lateTint()
{
    return {140, 90, 220, 60};
}

QColor stderrTint()
{
    return {128, 128, 128, 45};
}

void setErrorText(QWidget* widget, bool error)
{
    // Through the style sheet, so that clearing it gives the label its normal colour back.
    widget->setStyleSheet(error ? QStringLiteral("color: %1").arg(errorColor().name()) : QString());
}

} // namespace rpcbench::Palette
