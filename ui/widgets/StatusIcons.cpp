#include "widgets/StatusIcons.h"

#include <QLabel>

namespace rpcbench::StatusIcons {

QString path(StatusIcon icon)
{
    switch (icon) {
    case StatusIcon::None:
        return {};
    case StatusIcon::Ok:
        return QStringLiteral(":/icons/status-ok.svg");
    case StatusIcon::Error:
        return QStringLiteral(":/icons/status-error.svg");
    case StatusIcon::Warning:
        return QStringLiteral(":/icons/status-warning.svg");
    case StatusIcon::Timeout:
        return QStringLiteral(":/icons/status-timeout.svg");
    case StatusIcon::Late:
        return QStringLiteral(":/icons/status-late.svg");
    case StatusIcon::Connected:
        return QStringLiteral(":/icons/state-connected.svg");
    case StatusIcon::Disconnected:
        return QStringLiteral(":/icons/state-disconnected.svg");
    }
    return {};
}

QIcon icon(StatusIcon which)
{
    const QString p = path(which);
    return p.isEmpty() ? QIcon() : QIcon(p);
}

void setPixmap(QLabel* label, StatusIcon which)
{
    const int side = label->fontMetrics().height();
    label->setPixmap(which == StatusIcon::None ? QPixmap() : icon(which).pixmap(QSize(side, side)));
    label->setVisible(which != StatusIcon::None);
    // Tests and accessibility read which icon is shown.
    label->setProperty("statusIcon", path(which));
}

} // namespace rpcbench::StatusIcons
