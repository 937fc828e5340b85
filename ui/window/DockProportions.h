#pragma once
// Keeps the docks' share of the window when the window is resized. QMainWindow gives every
// pixel gained or lost to the central widget and squeezes docks only when it must, so a window
// made small and then large again loses its proportions for good. This remembers each docked
// widget's share of the window (at start and whenever the user drags a separator) and reapplies
// it on every resize.

#include <QObject>
#include <QPointer>

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

    QMainWindow* m_window;
    std::vector<Share> m_shares;
};

} // namespace rpcbench
