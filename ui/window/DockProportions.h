#pragma once
// Keeps the docks' share of the window when the window is resized. QMainWindow gives every
// pixel gained or lost to the central widget and squeezes docks only when it must, so a window
// made small and then large again loses its proportions for good. This remembers each docked
// widget's share of the window (at start and whenever the user drags a separator) and reapplies
// it on every resize.

#include <QObject>
#include <QPointer>

#include <utility>
#include <vector>

class QDockWidget;
class QMainWindow;

namespace rpcbench {

class DockProportions : public QObject
{
    Q_OBJECT
public:
    explicit DockProportions(QMainWindow* window);

    void remember(); // the current sizes become the shares to keep
    // First run: the shares to lay the docks out with when the window is first shown
    // (width for side docks, height for top/bottom docks), instead of remembering them.
    void setInitialShares(const std::vector<std::pair<QDockWidget*, double>>& shares);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Share
    {
        QPointer<QDockWidget> dock;
        Qt::Orientation orientation;
        double share;
    };

    void apply();
    void onShown();

    QMainWindow* m_window;
    std::vector<Share> m_shares;
    bool m_initial = false; // m_shares were set for the first show
};

} // namespace rpcbench
