#pragma once
// Turns an OpenRPC document (a file someone wrote or a server's rpc.discover answer) into
// mock methods: each method keeps its parameters and description and answers a canned
// result, taken from the first example pairing that has one (examples[].result.value) or
// else generated from the result's schema (SchemaSampler).

#include "mock/UserMethod.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace rpcbench {

class OpenRpcImport
{
public:
    // nullopt with *error when the input is not an OpenRPC document (broken JSON names its
    // line and column). Methods that cannot be read are skipped and listed in *warnings.
    static std::optional<QList<UserMethod>> fromBytes(const QByteArray& json, QString* error,
                                                      QStringList* warnings = nullptr);
    static std::optional<QList<UserMethod>> fromFile(const QString& path, QString* error,
                                                     QStringList* warnings = nullptr);
    static std::optional<QList<UserMethod>> fromDocument(const QJsonObject& document, QString* error,
                                                         QStringList* warnings = nullptr);
};

} // namespace rpcbench
