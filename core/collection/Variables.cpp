#include "collection/Variables.h"

#include "util/JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace rpcbench {

namespace {

const QLatin1String EnvPrefix("env.");

// {{ name }}: a name starts with a letter or '_' and goes on with letters, digits, '_', '-' and
// '.'; anything else between braces ("{{ }}", a JSON object in a string) is left as written.
const QRegularExpression& placeholder()
{
    static const QRegularExpression re(QStringLiteral(R"(\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\})"));
    return re;
}

QString asText(const QJsonValue& value)
{
    // Scalars come out as JSON text too ("42", "true", "null").
    return value.isString() ? value.toString() : QString::fromUtf8(JsonText::compact(value));
}

} // namespace

Variables::Variables()
    : m_env([](const QString& name) -> std::optional<QString> {
          const QByteArray key = name.toLocal8Bit();
          if (!qEnvironmentVariableIsSet(key.constData()))
              return std::nullopt;
          return qEnvironmentVariable(key.constData());
      })
{}

void Variables::set(Layer layer, const QString& name, const QJsonValue& value)
{
    m_layers[size_t(layer)].insert(name, value);
}

void Variables::setLayer(Layer layer, const QMap<QString, QJsonValue>& values)
{
    m_layers[size_t(layer)] = values;
}

void Variables::clear(Layer layer)
{
    m_layers[size_t(layer)].clear();
}

std::optional<QJsonValue> Variables::value(const QString& name) const
{
    if (name.startsWith(EnvPrefix)) {
        if (const auto text = m_env(name.mid(EnvPrefix.size())))
            return QJsonValue(*text);
        return std::nullopt;
    }
    for (auto layer = m_layers.rbegin(); layer != m_layers.rend(); ++layer) {
        const auto it = layer->constFind(name);
        if (it != layer->constEnd())
            return it.value();
    }
    return std::nullopt;
}

bool Variables::isSecretName(const QString& name)
{
    static const QRegularExpression secret(QStringLiteral("token|passw|secret|key|auth|cookie|credential"),
                                           QRegularExpression::CaseInsensitiveOption);
    return name.startsWith(EnvPrefix) || secret.match(name).hasMatch();
}

std::optional<QString> Variables::expand(const QString& text, QString* error) const
{
    if (!text.contains(QLatin1String("{{")))
        return text;
    QString out;
    qsizetype done = 0;
    auto it = placeholder().globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString name = m.captured(1);
        const auto v = value(name);
        if (!v) {
            if (error)
                *error = name.startsWith(EnvPrefix)
                             ? QStringLiteral("variable '%1' is not defined: the environment has no %2")
                                   .arg(name, name.mid(EnvPrefix.size()))
                             : QStringLiteral("variable '%1' is not defined").arg(name);
            return std::nullopt;
        }
        out += QStringView(text).mid(done, m.capturedStart() - done);
        out += asText(*v);
        done = m.capturedEnd();
    }
    out += QStringView(text).mid(done);
    return out;
}

std::optional<QJsonValue> Variables::expand(const QJsonValue& value, QString* error) const
{
    if (value.isString()) {
        const QString text = value.toString();
        const QRegularExpressionMatch whole = placeholder().match(text);
        if (whole.hasMatch() && whole.capturedStart() == 0 && whole.capturedEnd() == text.size()) {
            const auto v = this->value(whole.captured(1));
            if (v)
                return *v;
        }
        const auto expanded = expand(text, error);
        return expanded ? std::optional<QJsonValue>(*expanded) : std::nullopt;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue& item : value.toArray()) {
            const auto v = expand(item, error);
            if (!v)
                return std::nullopt;
            out.append(*v);
        }
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject in = value.toObject();
        for (auto it = in.begin(); it != in.end(); ++it) {
            const auto v = expand(it.value(), error);
            if (!v)
                return std::nullopt;
            out.insert(it.key(), *v);
        }
        return out;
    }
    return value;
}

QStringList Variables::referenced(const QString& text)
{
    QStringList names;
    auto it = placeholder().globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names << name;
    }
    return names;
}

} // namespace rpcbench
