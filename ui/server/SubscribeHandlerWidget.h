#pragma once
// The method editor's page for a "subscribe" mock (UserHandlerKind::Subscribe): the notification
// each event is sent as, the interval, how many events at most, and the event's params as a JSON
// template whose "{{subscription}}", "{{n}}" and "{{time}}" strings are filled in per event
// (Subscriptions::fill). An empty template means Subscriptions::defaultTemplate().

#include "mock/Subscriptions.h"

#include <QWidget>

#include <optional>

class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace rpcbench {

class SubscribeHandlerWidget : public QWidget
{
    Q_OBJECT
public:
    explicit SubscribeHandlerWidget(QWidget* parent = nullptr);

    void setSettings(const SubscribeSettings& settings);
    // What the fields describe; nullopt with a one-line *error when the template is not JSON.
    // The rest is checked by SubscribeSettings::validate() (through UserMethod::validate()).
    std::optional<SubscribeSettings> settings(QString* error) const;

    QList<QWidget*> focusOrder() const;

private:
    QLineEdit* m_notification;
    QSpinBox* m_interval;
    QSpinBox* m_maxEvents;
    QPlainTextEdit* m_template;
};

} // namespace rpcbench
