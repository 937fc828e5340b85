#include "window/DockProportions.h"

#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QTimer>

#include <utility>

namespace rpcbench {

DockProportions::DockProportions(QMainWindow* window) : QObject(window), m_window(window)
{
    window->installEventFilter(this);
}

void DockProportions::setInitialShares(const std::vector<std::pair<QDockWidget*, double>>& shares)
{
    m_shares.clear();
    for (const auto& [dock, share] : shares) {
        if (!dock)
            continue;
        const Qt::DockWidgetArea area = m_window->dockWidgetArea(dock);
        const bool side = area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea;
        m_shares.push_back({dock, side ? Qt::Horizontal : Qt::Vertical, share});
    }
    m_initial = !m_shares.empty();
}

void DockProportions::onShown()
{
    if (std::exchange(m_initial, false))
        apply(); // the first-run shares, then kept like any others
    else
        remember(); // the restored sizes are the ones to keep
}

void DockProportions::remember()
{
    m_shares.clear();
    const QSize size = m_window->size();
    if (size.isEmpty())
        return;
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>(Qt::FindDirectChildrenOnly)) {
        if (dock->isFloating() || !dock->isVisible())
            continue;
        const Qt::DockWidgetArea area = m_window->dockWidgetArea(dock);
        const bool side = area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea;
        const Qt::Orientation orientation = side ? Qt::Horizontal : Qt::Vertical;
        const double share =
            side ? double(dock->width()) / size.width() : double(dock->height()) / size.height();
        m_shares.push_back({dock, orientation, share});
    }
}

void DockProportions::apply()
{
    const QSize size = m_window->size();
    for (const Share& s : m_shares) {
        if (!s.dock || s.dock->isFloating() || !s.dock->isVisible())
            continue;
        const int total = s.orientation == Qt::Horizontal ? size.width() : size.height();
        m_window->resizeDocks({s.dock.data()}, {qRound(s.share * total)}, s.orientation);
    }
}

bool DockProportions::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != m_window)
        return false;
    switch (event->type()) {
    case QEvent::Show:
        // Once the first layout has run: the restored sizes are the ones to keep.
        QTimer::singleShot(0, this, &DockProportions::onShown);
        break;
    case QEvent::MouseButtonRelease: // the end of a separator drag (QMainWindow handles those)
        remember();
        break;
    case QEvent::Resize:
        if (m_window->isVisible())
            apply();
        break;
    default:
        break;
    }
    return false;
}

} // namespace rpcbench
