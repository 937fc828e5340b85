#pragma once
// One saved call of a collection, as the workspace (or a *.rpcbench-collection.json file) keeps
// it, with the checks its reply must pass and the values it captures for later calls:
//
//   {"name": "log in", "target": "{{baseUrl}}", "method": "login",
//    "params": {"user": "ann", "password": "{{env.PASSWORD}}"},
//    "assert": [{"result": true}, {"pointer": "/session", "type": "string"}],
//    "capture": {"session": "/session"}}
//
// Optional members: "description", "target" (a URL; empty: the workspace's client target),
// "dialect" ("2.0", "1.0", "classic"), "params", "notification", "batch" (an array of
// {"method", "params", "notification"} sent as one batch instead of method/params), "timeoutMs",
// "headers" ([{"name", "value"}], HTTP targets), "assert", "capture" (variable name → JSON
// Pointer into the result), "weight" (the call's relative share when the collection runs as
// load, LoadMix; default 1). Strings may use {{variables}}.
#include "collection/Assertion.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace rpcbench {

struct SavedCallHeader
{
    QString name;
    QString value;
    bool operator==(const SavedCallHeader&) const = default;
};

struct SavedCall
{
    QString name;
    QString description;
    QString target;
    QString dialect = QStringLiteral("2.0");
    QString method; // empty for a batch
    QJsonValue params = QJsonValue::Undefined;
    bool notification = false;
    QJsonArray batch;  // non-empty: a batch of calls instead of method/params
    int timeoutMs = 0; // 0: the runner's default
    // Share of a load mix (`bench --from-collection`, the Load panel). Only > 0 and finite is
    // checked here: the upper bound depends on the whole mix's cycle, which LoadMix::validate
    // checks (and reports with the call's path); the collection layer cannot see load/.
    double weight = 1.0;
    QList<SavedCallHeader> headers;
    QList<Assertion> assertions;
    QMap<QString, QString> captures; // variable → JSON Pointer into the result

    bool isBatch() const { return !batch.isEmpty(); }
    // "log in" or, unnamed, the method ("add", "batch of 3").
    QString displayName() const;

    QJsonObject toJson() const; // default members left out, keys in a stable order
    // Strict; *error names the member ("assert[1]: unknown key \"pointr\" in an assertion").
    static std::optional<SavedCall> fromJson(const QJsonValue& json, QString* error);
    bool operator==(const SavedCall&) const = default;
};

} // namespace rpcbench
