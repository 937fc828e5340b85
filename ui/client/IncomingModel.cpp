#include "client/IncomingModel.h"

#include "protocol/RpcTypes.h"
#include "util/JsonText.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rpcbench {

IncomingModel::IncomingModel(QObject* parent)
    : QAbstractTableModel(parent), m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &IncomingModel::flush);
}

void IncomingModel::add(quint64 linkId, const QByteArray& payload)
{
    m_queue.push_back(Queued{m_now(), linkId, payload});
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void IncomingModel::flush()
{
    m_flushTimer.stop();
    if (m_queue.empty())
        return;
    std::vector<IncomingMessage> added;
    added.reserve(m_queue.size());
    for (const Queued& queued : m_queue)
        append(added, queued);
    m_queue.clear();
    if (added.size() > size_t(MaxRows)) { // a burst bigger than the whole window
        m_dropped += added.size() - MaxRows;
        added.erase(added.begin(), added.end() - MaxRows);
    }
    const qsizetype overflow = qsizetype(m_rows.size() + added.size()) - MaxRows;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + overflow);
        endRemoveRows();
        m_dropped += quint64(overflow);
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (IncomingMessage& m : added)
        m_rows.push_back(std::move(m));
    endInsertRows();
    emit messagesAdded(first, int(m_rows.size()) - 1);
}

void IncomingModel::append(std::vector<IncomingMessage>& out, const Queued& queued) const
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(queued.payload, &error);
    if (doc.isArray()) { // a batch from the server: one row per message
        for (const QJsonValue& item : doc.array())
            out.push_back(parse(queued, item, JsonText::compact(item)));
    } else {
        out.push_back(
            parse(queued, doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(), queued.payload));
    }
}

IncomingMessage IncomingModel::parse(const Queued& queued, const QJsonValue& message,
                                     const QByteArray& bytes) const
{
    IncomingMessage m;
    m.timeMs = queued.timeMs;
    m.linkId = queued.linkId;
    m.payload = bytes;
    m.size = bytes.size();
    const QJsonObject object = message.toObject();
    m.method = object.value(QLatin1String("method")).toString();
    m.id = object.value(QLatin1String("id"));
    if (!m.isRequest()) {
        m.groupKey = groupKeyOf(message, m_groupBy);
        return m;
    }
    const auto early = m_heldEarly.constFind(HoldKey{m.linkId, idText(m.id)});
    if (early != m_heldEarly.cend()) {
        m.holdId = *early;
        m.answer = AnswerState::Held;
    } else if (m_local && m_local(m.method)) {
        m.answer = AnswerState::ClientMethod;
    } else {
        m.answer = m_holding ? AnswerState::Waiting : AnswerState::NotFound;
    }
    return m;
}

void IncomingModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_queue.clear();
    m_heldEarly.clear();
    m_dropped = 0;
    endResetModel();
    emit groupingChanged();
}

QString IncomingModel::idText(const QJsonValue& id)
{
    return id.isString() ? id.toString() : QString::fromUtf8(JsonText::compact(id));
}

int IncomingModel::findRequest(quint64 linkId, const QString& id) const
{
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) { // the newest is the likely one
        const IncomingMessage& m = m_rows[size_t(row)];
        if (m.linkId == linkId && m.isRequest() && m.holdId == 0 && idText(m.id) == id)
            return row;
    }
    return -1;
}

int IncomingModel::findHold(quint64 holdId) const
{
    for (int row = int(m_rows.size()) - 1; row >= 0; --row)
        if (m_rows[size_t(row)].holdId == holdId)
            return row;
    return -1;
}

void IncomingModel::markHeld(quint64 holdId, quint64 linkId, const QByteArray& request)
{
    flush(); // the request's own row may still be queued
    const QString id = idText(QJsonDocument::fromJson(request).object().value(QLatin1String("id")));
    const int row = findRequest(linkId, id);
    if (row < 0) { // requestHeld overtook incoming: applied when the row comes
        m_heldEarly.insert(HoldKey{linkId, id}, holdId);
        return;
    }
    m_rows[size_t(row)].holdId = holdId;
    setAnswer(row, AnswerState::Held);
}

void IncomingModel::markHoldEnded(quint64 holdId, const QString& how, const QByteArray& answer)
{
    for (auto it = m_heldEarly.begin(); it != m_heldEarly.end(); ++it) {
        if (*it == holdId) {
            m_heldEarly.erase(it);
            break;
        }
    }
    const int row = findHold(holdId);
    if (row < 0)
        return;
    AnswerState state = AnswerState::Answered;
    if (how == QLatin1String("rejected"))
        state = AnswerState::Rejected;
    else if (how == QLatin1String("timed out"))
        state = AnswerState::TimedOut;
    else if (how == QLatin1String("connection closed"))
        state = AnswerState::Closed;
    setAnswer(row, state, answer);
}

void IncomingModel::markAnswerSent(quint64 linkId, const QByteArray& reply)
{
    flush(); // the request's own row may still be queued
    const QJsonDocument doc = QJsonDocument::fromJson(reply);
    const QJsonArray answers = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    for (const QJsonValue& answer : answers) {
        const QString id = idText(answer.toObject().value(QLatin1String("id")));
        for (int row = int(m_rows.size()) - 1; row >= 0; --row) { // the newest is the likely one
            const IncomingMessage& m = m_rows[size_t(row)];
            if (m.linkId == linkId && m.isRequest() && m.answerPayload.isEmpty() && idText(m.id) == id) {
                const bool notFound =
                    m.answer == AnswerState::Waiting &&
                    answer.toObject().value(QLatin1String("error")).toObject().value(QLatin1String("code")) ==
                        ErrorCode::MethodNotFound;
                setAnswer(row, notFound ? AnswerState::NotFound : m.answer,
                          doc.isArray() ? QJsonDocument(answer.toObject()).toJson(QJsonDocument::Compact)
                                        : reply);
                break;
            }
        }
    }
}

void IncomingModel::setAnswer(int row, AnswerState state, const QByteArray& answer)
{
    IncomingMessage& m = m_rows[size_t(row)];
    m.answer = state;
    if (!answer.isEmpty())
        m.answerPayload = answer;
    const QModelIndex cell = index(row, AnswerColumn);
    emit dataChanged(cell, cell);
    emit answerChanged(row);
}

void IncomingModel::setGroupBy(const QString& pointer)
{
    const QString effective =
        pointer.trimmed() == QLatin1String(DefaultGroupBy) ? QString() : pointer.trimmed();
    if (effective == m_groupBy)
        return;
    m_groupBy = effective;
    for (IncomingMessage& m : m_rows)
        if (!m.isRequest())
            m.groupKey = groupKeyOf(QJsonDocument::fromJson(m.payload).object(), m_groupBy);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit groupingChanged();
}

QString IncomingModel::groupKeyOf(const QJsonValue& message, const QString& pointer)
{
    const QString path = pointer.isEmpty() ? QString::fromLatin1(DefaultGroupBy) : pointer;
    if (!path.startsWith(QLatin1Char('/')))
        return {};
    QJsonValue at = message;
    for (QString token : path.mid(1).split(QLatin1Char('/'))) {
        // RFC 6901 escapes: ~1 is '/', ~0 is '~' (in that order).
        token.replace(QLatin1String("~1"), QLatin1String("/"))
            .replace(QLatin1String("~0"), QLatin1String("~"));
        if (at.isObject()) {
            at = at.toObject().value(token);
        } else if (at.isArray()) {
            bool ok = false;
            const int i = token.toInt(&ok);
            at = ok && i >= 0 && i < at.toArray().size() ? at.toArray().at(i)
                                                         : QJsonValue(QJsonValue::Undefined);
        } else {
            return {};
        }
    }
    if (at.isUndefined() || at.isNull())
        return {};
    return idText(at);
}

QString IncomingModel::answerText(AnswerState state)
{
    switch (state) {
    case AnswerState::None:
        return {};
    case AnswerState::ClientMethod:
        return tr("answered by client method");
    case AnswerState::Waiting:
        return tr("no client method");
    case AnswerState::Held:
        return tr("held");
    case AnswerState::NotFound:
        return tr("-32601 method not found");
    case AnswerState::Answered:
        return tr("answered by you");
    case AnswerState::Rejected:
        return tr("rejected");
    case AnswerState::TimedOut:
        return tr("hold timed out");
    case AnswerState::Closed:
        return tr("connection closed");
    }
    return {};
}

int IncomingModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IncomingModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IncomingModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IncomingMessage& m = m_rows[size_t(index.row())];
    if (role == GroupKeyRole)
        return m.groupKey;
    if (role == SearchTextRole)
        return QStringList{m.method, idText(m.id), m.groupKey}.join(QLatin1Char('\n'));
    if (role == Qt::ToolTipRole && index.column() == MethodColumn)
        return m.groupKey.isEmpty() ? m.method : tr("%1 (group %2)").arg(m.method, m.groupKey);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(m.timeMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case MethodColumn:
        return m.method.isEmpty() ? tr("(no method)") : m.method;
    case IdColumn:
        return m.isRequest() ? idText(m.id) : tr("notification");
    case SizeColumn:
        return JsonText::formatBytes(m.size);
    case AnswerColumn:
        return answerText(m.answer);
    }
    return {};
}

QVariant IncomingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case MethodColumn:
        return tr("Method");
    case IdColumn:
        return tr("Id");
    case SizeColumn:
        return tr("Size");
    case AnswerColumn:
        return tr("Answer");
    }
    return {};
}

} // namespace rpcbench
