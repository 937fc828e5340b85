#pragma once
// The logging categories of rpcbench, one per subsystem, so diagnostics can be switched on
// where they are needed without recompiling:
//
//   QT_LOGGING_RULES="rpcbench.server.debug=true" rpcbench serve --port 0
//   QT_LOGGING_RULES="rpcbench.*.debug=true" rpcbench      (everything)
//
// Debug output is off by default (the categories start at QtInfoMsg); warnings are on. Every
// category is declared here, in the bottom layer, so each layer uses its own and the whole
// list is in one place. Disabled qCDebug() costs one flag test and formats nothing.

#include <QLoggingCategory>

namespace rpcbench {

Q_DECLARE_LOGGING_CATEGORY(lcWire)     // rpcbench.wire: framing, HTTP, transport sniffing
Q_DECLARE_LOGGING_CATEGORY(lcProtocol) // rpcbench.protocol: decoding requests, writing replies
Q_DECLARE_LOGGING_CATEGORY(lcDispatch) // rpcbench.dispatch: method registry, binding, faults
Q_DECLARE_LOGGING_CATEGORY(lcServer)   // rpcbench.server: listening, connections and their closing
Q_DECLARE_LOGGING_CATEGORY(lcClient)   // rpcbench.client: connecting, disconnecting, transport errors
Q_DECLARE_LOGGING_CATEGORY(lcTraffic)  // rpcbench.traffic: the traffic bus, log files
Q_DECLARE_LOGGING_CATEGORY(lcMock)     // rpcbench.mock: workspaces and user-defined methods
Q_DECLARE_LOGGING_CATEGORY(lcScript)   // rpcbench.script: the JavaScript engine of user methods
Q_DECLARE_LOGGING_CATEGORY(lcLoad)     // rpcbench.load: the load generator (`rpcbench bench`)
Q_DECLARE_LOGGING_CATEGORY(lcUi)       // rpcbench.ui: the desktop front end

} // namespace rpcbench
