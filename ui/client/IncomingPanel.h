#pragma once
// "Incoming": what the server sent the client on its own — notifications and requests
// (RpcClient::incoming), beside the response view. A filter box, the group-by pointer, "Hold
// unanswered requests" and Clear on top; the message list (newest kept, IncomingModel) beside
// the subscription groups (selecting one shows only its events); below, the selected message
// with its answer, and the held requests waiting for the user with the answer editor.

#include "protocol/RpcError.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class QToolButton;

namespace rpcbench {

class HeldRequestEditor;
class HeldRequestsModel;
class IncomingFilterModel;
class IncomingModel;
class PayloadView;
class SubscriptionGroupsModel;

class IncomingPanel : public QWidget
{
    Q_OBJECT
public:
    explicit IncomingPanel(QWidget* parent = nullptr);

    IncomingModel* model() const { return m_model; }
    IncomingFilterModel* filter() const { return m_filter; }
    SubscriptionGroupsModel* groups() const { return m_groups; }
    HeldRequestsModel* held() const { return m_held; }
    HeldRequestEditor* heldEditor() const { return m_editor; }
    QTableView* messagesView() const { return m_messages; }
    QTableView* groupsView() const { return m_groupsView; }
    QTableView* heldView() const { return m_heldView; }
    QTabWidget* detailTabs() const { return m_details; }
    PayloadView* messageView() const { return m_message; }
    QLineEdit* filterEdit() const { return m_filterEdit; }
    QLineEdit* groupByEdit() const { return m_groupBy; }
    QCheckBox* holdCheck() const { return m_hold; }
    // "Client methods…": the window gives it its action (the dialog needs the engine).
    QToolButton* clientMethodsButton() const { return m_clientMethods; }
    QList<QWidget*> focusChain() const;

    // RpcClient's signals.
    void addIncoming(quint64 linkId, const QByteArray& payload);
    void addHeld(quint64 holdId, quint64 linkId, const QByteArray& request);
    void endHold(quint64 holdId, const QString& how);

    void setHolding(bool hold, int timeoutMs);
    bool holding() const;
    int holdTimeoutMs() const { return m_holdTimeoutMs; }
    QString groupBy() const; // empty: the default pointer
    void setGroupBy(const QString& pointer);

public slots:
    void clear();

signals:
    void answerRequested(quint64 holdId, const rpcbench::RpcResult& answer);
    void rejectRequested(quint64 holdId);
    void holdingChanged(bool hold);
    void groupByChanged(const QString& pointer);
    // For the tab title: messages listed and requests waiting for the user.
    void countsChanged(int messages, int held);

private:
    QWidget* buildToolbar();
    QWidget* buildHeldPage();
    void configure(QTableView* view, const QString& name);
    void showSelectedMessage();
    void showSelectedHeld();
    void selectGroup();
    void applyGroupBy();
    void answer(quint64 holdId, const RpcResult& result);
    void updateCounts();

    IncomingModel* m_model;
    IncomingFilterModel* m_filter;
    SubscriptionGroupsModel* m_groups;
    HeldRequestsModel* m_held;
    QHash<quint64, QByteArray> m_sentAnswers; // by hold id, until holdEnded confirms them
    int m_holdTimeoutMs = 60'000;

    QLineEdit* m_filterEdit;
    QLineEdit* m_groupBy;
    QLabel* m_groupByProblem;
    QCheckBox* m_hold;
    QToolButton* m_clientMethods;
    QPushButton* m_clear;
    QLabel* m_countLabel;
    QTableView* m_messages;
    QTableView* m_groupsView;
    QTabWidget* m_details;
    PayloadView* m_message;
    PayloadView* m_answer;
    QTableView* m_heldView;
    HeldRequestEditor* m_editor;
};

} // namespace rpcbench
