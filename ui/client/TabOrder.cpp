#include "client/TabOrder.h"

#include <QWidget>

namespace rpcbench {

void setTabChain(const QList<QWidget*>& widgets)
{
    QWidget* previous = nullptr;
    for (QWidget* w : widgets) {
        if (!w)
            continue;
        if (previous)
            QWidget::setTabOrder(previous, w);
        previous = w;
    }
}

} // namespace rpcbench
