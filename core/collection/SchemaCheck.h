#pragma once
// Checks a JSON value against a JSON Schema, the subset OpenRPC documents use: type (one or a
// list, "integer" included), enum, const, properties / required / additionalProperties, items
// (one schema or a tuple) / minItems / maxItems / uniqueItems, minimum / maximum / exclusive
// bounds / multipleOf, minLength / maxLength / pattern, allOf / anyOf / oneOf / not, boolean
// schemas, and $ref to "#/components/schemas/X", "#/definitions/X" or "#/$defs/X" of the document
// the schema came from. Annotation keywords (title, description, format, examples...) are ignored.
//
// A saved call's "schema" assertion checks a reply's result against its method's OpenRPC result
// schema with it; every problem names where it is: "/items/0/name: expected string, got 42".
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace rpcbench {

class SchemaCheck
{
public:
    // `root` is the document $refs resolve in (an OpenRPC document, or the schema itself).
    explicit SchemaCheck(QJsonObject root = {}) : m_root(std::move(root)) {}

    // The problems found (empty: valid), at most `limit` of them.
    QStringList validate(const QJsonValue& value, const QJsonValue& schema, int limit = 20) const;

private:
    void check(const QJsonValue& value, const QJsonValue& schema, const QString& at, int depth,
               QStringList* problems) const;
    void checkType(const QJsonValue& value, const QJsonObject& schema, const QString& at,
                   QStringList* problems) const;
    void checkNumber(double value, const QJsonObject& schema, const QString& at, QStringList* problems) const;
    void checkString(const QString& value, const QJsonObject& schema, const QString& at,
                     QStringList* problems) const;
    void checkArray(const QJsonArray& value, const QJsonObject& schema, const QString& at, int depth,
                    QStringList* problems) const;
    void checkObject(const QJsonObject& value, const QJsonObject& schema, const QString& at, int depth,
                     QStringList* problems) const;
    void checkCombinators(const QJsonValue& value, const QJsonObject& schema, const QString& at, int depth,
                          QStringList* problems) const;
    bool passes(const QJsonValue& value, const QJsonValue& schema, const QString& at, int depth) const;
    QJsonValue resolve(const QString& ref, QString* error) const;

    QJsonObject m_root;
    mutable int m_limit = 20;
};

} // namespace rpcbench
