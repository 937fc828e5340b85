#pragma once
// The variables of a collection run: `{{name}}` in a saved call's URL, params and headers is
// replaced by its value. Layers, highest first: --var overrides, values captured from earlier
// replies of the run, the chosen environment, the collection's own variables. `{{env.NAME}}`
// reads the process environment, so secrets stay out of files. A name used but defined nowhere
// is an error naming it, never an empty string sent silently.
#include <QJsonValue>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <optional>

namespace rpcbench {

class Variables
{
public:
    enum class Layer : quint8 { Collection, Environment, Capture, Override };
    using EnvironmentLookup = std::function<std::optional<QString>(const QString& name)>;

    Variables(); // {{env.NAME}} reads the real process environment
    // Tests (and a future "environment file") replace where env.NAME comes from.
    void setEnvironmentLookup(EnvironmentLookup lookup) { m_env = std::move(lookup); }

    void set(Layer layer, const QString& name, const QJsonValue& value);
    void setLayer(Layer layer, const QMap<QString, QJsonValue>& values);
    void clear(Layer layer);
    // The value of `name` from the highest layer defining it; env.NAME as a string.
    std::optional<QJsonValue> value(const QString& name) const;
    // Whether a value may be printed: env.* values and names that look secret (token, password,
    // secret, key, auth...) are not.
    static bool isSecretName(const QString& name);

    // Every {{name}} replaced; nullopt with *error "variable 'token' is not defined" (the first
    // one missing). Non-string values are written as compact JSON (a number as 42).
    std::optional<QString> expand(const QString& text, QString* error) const;
    // Strings inside objects and arrays expanded; a string that is exactly one "{{name}}"
    // becomes the variable's own JSON value (a captured object stays an object).
    std::optional<QJsonValue> expand(const QJsonValue& value, QString* error) const;
    // The names a text uses, in order of first use (a GUI shows which are missing).
    static QStringList referenced(const QString& text);

private:
    std::array<QMap<QString, QJsonValue>, 4> m_layers;
    EnvironmentLookup m_env;
};

} // namespace rpcbench
