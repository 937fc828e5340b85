#pragma once
// Reads typed members out of a JSON object that a person wrote by hand (workspaces, mock
// methods, fault settings), with errors that say which member is wrong and what it must be.
//
// The first problem wins: it is kept as one message and every later read does nothing, so an
// object is read in straight-line code and checked once with ok(). Readers for nested objects
// (nested()) share that one problem with the reader they came from.
//
// Members are named by their JSON path: "server.limits.maxConnections must be an integer
// between 1 and 1000000" from a reader at path "server.limits". At the top level (empty path) a
// member is named quoted: "'methods' must be an array".

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace rpcbench {

class JsonFields
{
public:
    enum Need { Optional, Required };

    // `path` names `object` in messages ("server", "methods[2].fault"); empty at the top level.
    explicit JsonFields(const QJsonObject& object, const QString& path = {});
    JsonFields(const JsonFields&) = delete;
    JsonFields& operator=(const JsonFields&) = delete;

    bool ok() const { return m_error->isEmpty(); }
    const QString& error() const { return *m_error; } // empty while ok()

    const QJsonObject& object() const { return m_object; }
    bool has(QStringView key) const { return m_object.contains(key); }
    QJsonValue value(QStringView key) const { return m_object.value(key); }
    // How messages name a member: "server.port", or 'port' at the top level.
    QString name(QStringView key) const;
    // An element of an array member: "savedCalls[3]", "server.disabledMethods[0]".
    QString elementName(QStringView key, qsizetype index) const;

    // Records `message` (or "<name of key>: <problem>") unless there is a problem already.
    // Always returns false, to end a read: `return f.fail(...)`.
    bool fail(const QString& message);
    bool fail(QStringView key, const QString& problem);

    // Every key must be one of `known`: "server: unknown key 'prot' (expected one of bind, port)".
    bool onlyKeys(const QStringList& known);

    // The typed readers. Each stores the member in *out when it is present and valid and returns
    // ok(); an absent Optional member leaves *out as it was, an absent Required one is an error.
    // Errors say "<name> must be <expected>"; `expected` replaces the default description
    // ("a string", "true or false", "an integer between 0 and 65535", ...).
    bool string(QStringView key, QString* out, Need need = Optional, const QString& expected = {});
    bool boolean(QStringView key, bool* out, Need need = Optional, const QString& expected = {});
    bool number(QStringView key, double min, double max, double* out, Need need = Optional,
                const QString& expected = {});
    template <class T>
    bool integer(QStringView key, qint64 min, qint64 max, T* out, Need need = Optional,
                 const QString& expected = {})
    {
        const std::optional<qint64> v = readInteger(key, min, max, need, expected);
        if (v)
            *out = T(*v);
        return ok();
    }
    bool array(QStringView key, QJsonArray* out, Need need = Optional, const QString& expected = {});
    // An array of strings; a wrong element is named by its index ("server.disabledMethods[2]").
    bool stringList(QStringView key, QStringList* out, Need need = Optional, const QString& expected = {});
    bool object(QStringView key, QJsonObject* out, Need need = Optional, const QString& expected = {});

    // A reader for the object member `key`, at path "key" (or "path.key"); it records its
    // problems here, so it must not outlive this reader. When the member is absent (and
    // Optional) or wrong, it reads an empty object; a wrong member is this reader's problem.
    JsonFields nested(QStringView key, Need need = Optional, const QString& expected = {});

private:
    JsonFields(const QJsonObject& object, const QString& path, QString* error);
    // The member if present and of type `type`; nullopt (and a problem when it is present or
    // Required) otherwise.
    std::optional<QJsonValue> member(QStringView key, QJsonValue::Type type, Need need,
                                     const QString& expected);
    std::optional<qint64> readInteger(QStringView key, qint64 min, qint64 max, Need need,
                                      const QString& expected);
    bool mustBe(QStringView key, const QString& expected);

    QJsonObject m_object;
    QString m_path;
    QString m_ownError; // used by a top reader; nested readers write to their parent's
    QString* m_error;
};

} // namespace rpcbench
