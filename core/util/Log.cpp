#include "util/Log.h"

namespace rpcbench {

// QtInfoMsg: debug messages stay off until a rule (QT_LOGGING_RULES, setFilterRules) enables them.
Q_LOGGING_CATEGORY(lcWire, "rpcbench.wire", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProtocol, "rpcbench.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDispatch, "rpcbench.dispatch", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "rpcbench.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClient, "rpcbench.client", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTraffic, "rpcbench.traffic", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMock, "rpcbench.mock", QtInfoMsg)
Q_LOGGING_CATEGORY(lcScript, "rpcbench.script", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLoad, "rpcbench.load", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "rpcbench.ui", QtInfoMsg)

} // namespace rpcbench
