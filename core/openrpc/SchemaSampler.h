#pragma once
// Makes up a plausible JSON value for a JSON Schema, for mocks imported from an OpenRPC
// document that carries no example: const, default, enum and examples first, then a value
// built from type (with properties, items, minimum/maximum, minLength, format...). Local
// "$ref": "#/..." pointers are resolved inside the document they came from.

#include <QJsonObject>
#include <QJsonValue>

namespace rpcbench {

struct ParamInfo;

class SchemaSampler
{
public:
    // A sample argument for a declared parameter (the editor's "Check" calls scripts with
    // them): its default when it has one, else a value of its type: 1 for integer, number and
    // any, "text", true, [] or {}. A variadic parameter's sample is one element.
    static QJsonValue sampleArgument(const ParamInfo& param);

    // `document` is the whole document, for resolving "$ref" pointers.
    explicit SchemaSampler(QJsonObject document = {});

    QJsonValue sample(const QJsonValue& schema) const;
    // Follows "$ref" (JSON pointers into the document) until a value without one; an
    // unresolvable or cyclic reference gives an empty object.
    QJsonValue resolve(const QJsonValue& value) const;

private:
    QJsonValue sample(const QJsonObject& schema, int depth) const;
    QJsonValue sampleOfType(const QString& type, const QJsonObject& schema, int depth) const;
    QJsonValue sampleObject(const QJsonObject& schema, int depth) const;
    QJsonValue sampleArray(const QJsonObject& schema, int depth) const;
    static QJsonValue sampleString(const QJsonObject& schema);
    static QJsonValue sampleNumber(const QJsonObject& schema, bool integer);
    QJsonObject merged(const QJsonObject& schema) const; // allOf folded in

    QJsonObject m_document;
};

} // namespace rpcbench
