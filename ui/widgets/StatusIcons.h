#pragma once
// The one home of the small status icons (resources/icons/status-*.svg, state-*.svg). They
// replace emoji code points ("✓", "✗", "⏱", "⚠", "●/○"), which stock fonts draw as empty
// boxes, next to plain text.

#include <QIcon>
#include <QPixmap>

class QLabel;

namespace rpcbench {

enum class StatusIcon { None, Ok, Error, Warning, Timeout, Late, Connected, Disconnected };

namespace StatusIcons {

QString path(StatusIcon icon); // resource path; empty for None
QIcon icon(StatusIcon icon);
// The icon at the height of `label`'s text, for a pixmap label beside a text; cleared for None.
void setPixmap(QLabel* label, StatusIcon icon);

} // namespace StatusIcons
} // namespace rpcbench
