#include "CliArgs.h"

#include "traffic/TrafficBus.h"
#include "util/JsonText.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>

namespace rpcbench::cli {

namespace {

bool looksLikeNumber(const QString& word)
{
    const auto v = JsonText::parseValue(word);
    return v && v->isDouble();
}

template <class T>
QString outOfRange(const QCommandLineParser& p, const QString& name, const char* what, T min, T max)
{
    return QStringLiteral("invalid --%1 '%2': must be %3 between %4 and %5")
        .arg(name, p.value(name), QLatin1StringView(what))
        .arg(min)
        .arg(max);
}

} // namespace

bool readInteger(const QCommandLineParser& p, const QString& name, qint64 min, qint64 max, qint64* out,
                 QString* error)
{
    bool ok = false;
    const qint64 v = p.value(name).trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max) {
        *error = outOfRange(p, name, "an integer", min, max);
        return false;
    }
    *out = v;
    return true;
}

bool readNumber(const QCommandLineParser& p, const QString& name, double min, double max, double* out,
                QString* error)
{
    bool ok = false;
    const double v = p.value(name).trimmed().toDouble(&ok);
    if (!ok || !(v >= min && v <= max)) { // also false for NaN
        *error = outOfRange(p, name, "a number", min, max);
        return false;
    }
    *out = v;
    return true;
}

QJsonValue parseArgValue(const QString& text)
{
    if (const auto v = JsonText::parseValue(text))
        return *v;
    return text;
}

CallArgs parseCallArgs(const QStringList& words)
{
    static const QRegularExpression named(QStringLiteral("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$"),
                                          QRegularExpression::DotMatchesEverythingOption);
    CallArgs out;
    for (const QString& w : words) {
        if (const auto v = JsonText::parseValue(w)) {
            out.positional.append(*v);
            continue;
        }
        const auto m = named.match(w);
        if (!m.hasMatch()) {
            out.positional.append(w);
            continue;
        }
        const QString name = m.captured(1);
        if (out.named.contains(name)) {
            out.error = QStringLiteral("argument '%1' given twice").arg(name);
            return out;
        }
        out.named.insert(name, parseArgValue(m.captured(2)));
    }
    return out;
}

QStringList separateOptions(const QStringList& args, const QStringList& valueOptions)
{
    if (args.isEmpty())
        return args;
    QStringList options{args.first()};
    QStringList words;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString& a = args.at(i);
        if (a == QLatin1String("--")) {
            words += args.mid(i + 1);
            break;
        }
        if (!a.startsWith(QLatin1Char('-')) || a == QLatin1String("-") || looksLikeNumber(a)) {
            words.append(a);
            continue;
        }
        options.append(a);
        // "--url X" takes the next word as its value ("--url=X" carries it already).
        const QString name = a.mid(a.startsWith(QLatin1String("--")) ? 2 : 1);
        if (valueOptions.contains(name) && i + 1 < args.size())
            options.append(args.at(++i));
    }
    return options + QStringList{QStringLiteral("--")} + words;
}

std::optional<QList<CallRequest>> parseBatch(const QByteArray& json, int timeoutMs, QString* error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error =
            QStringLiteral("batch is not valid JSON: %1 at offset %2").arg(pe.errorString()).arg(pe.offset);
        return std::nullopt;
    }
    if (!doc.isArray() || doc.array().isEmpty()) {
        *error = QStringLiteral("batch must be a non-empty JSON array of calls");
        return std::nullopt;
    }
    QList<CallRequest> calls;
    const QJsonArray array = doc.array();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject o = array.at(i).toObject();
        const QJsonValue method = o.value(QLatin1String("method"));
        if (!array.at(i).isObject() || !method.isString() || method.toString().isEmpty()) {
            *error = QStringLiteral("batch element %1 needs a \"method\" string").arg(i + 1);
            return std::nullopt;
        }
        const QJsonValue params = o.value(QLatin1String("params"));
        if (!params.isUndefined() && !params.isArray() && !params.isObject()) {
            *error = QStringLiteral("batch element %1: \"params\" must be an array or object").arg(i + 1);
            return std::nullopt;
        }
        CallRequest r;
        r.method = method.toString();
        r.params = params;
        r.timeoutMs = timeoutMs;
        r.notification = o.value(QLatin1String("notify")).toBool() ||
                         (o.contains(QLatin1String("jsonrpc")) && !o.contains(QLatin1String("id")));
        calls.append(r);
    }
    return calls;
}

void printOut(const QByteArray& text)
{
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printErr(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

int parseCommand(QCommandLineParser& p, const QStringList& args, const QString& command,
                 const QStringList& valueOptions)
{
    // args is "rpcbench <command> ...": the command word is not an argument of its own.
    QStringList words = args;
    if (words.size() > 1 && words.at(1) == command)
        words.removeAt(1);
    if (!p.parse(separateOptions(words, valueOptions))) {
        printErr(QStringLiteral("rpcbench %1: %2").arg(command, p.errorText()));
        printErr(QStringLiteral("Try 'rpcbench %1 --help'.").arg(command));
        return ExitUsage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        // The parser names the executable by its path; show the command as it is typed.
        QString help = p.helpText();
        help.replace(QRegularExpression(QStringLiteral("^Usage: \\S+")),
                     QStringLiteral("Usage: rpcbench ") + command);
        printOut(help.toUtf8().trimmed());
        return ExitOk;
    }
    return -1;
}

int usageError(const QString& command, const QString& message)
{
    printErr(QStringLiteral("rpcbench %1: %2").arg(command, message));
    printErr(QStringLiteral("Try 'rpcbench %1 --help'.").arg(command));
    return ExitUsage;
}

void printTraffic(TrafficBus& bus)
{
    for (const TrafficEvent& e : bus.drain()) {
        if (e.kind == TrafficEvent::Kind::Stderr) {
            printErr(QStringLiteral("[child] ") + QString::fromUtf8(e.raw));
            continue;
        }
        const QString arrow = e.direction == Direction::Out ? QStringLiteral("-->") : QStringLiteral("<--");
        printErr(QStringLiteral("%1 %2 %3").arg(arrow, e.peer, QString::fromUtf8(e.raw)));
    }
}

std::unique_ptr<QTimer> printTrafficLive(const std::shared_ptr<TrafficBus>& bus)
{
    auto timer = std::make_unique<QTimer>();
    QObject::connect(timer.get(), &QTimer::timeout, timer.get(), [bus] { printTraffic(*bus); });
    timer->start(50);
    return timer;
}

} // namespace rpcbench::cli
