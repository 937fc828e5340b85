#pragma once
// Sets the keyboard focus chain of a panel to follow reading order.

#include <QList>

class QWidget;

namespace rpcbench {

// Chains `widgets` in the order given (each Tab goes to the next one); null entries are
// skipped, so optional parts can be listed unconditionally.
void setTabChain(const QList<QWidget*>& widgets);

} // namespace rpcbench
