#pragma once
// Names and checks of JSON value types for messages ("expected an object, got string").

#include <QJsonValue>
#include <QString>

namespace rpcbench {

bool isIntegral(const QJsonValue& v);      // a number with no fractional part that fits qint64
QString jsonTypeName(const QJsonValue& v); // "string", "integer", "number", "null", ... for messages

} // namespace rpcbench
