#pragma once
// "Client methods…": the client's own methods, which answer the requests a server sends the
// client (workspace/configuration, sampling/createMessage, ...). The same editor as the
// server's mock methods (MockMethodActions over Engine::clientMocks()): canned result, canned
// error or JavaScript. Every change applies at once and is saved with the workspace
// (client.methods). Window-modal with open(), never exec().

#include <QDialog>

class QListWidget;

namespace rpcbench {

class MockMethodActions;
class MockService;

class ClientMethodsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ClientMethodsDialog(MockService& mocks, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    MockMethodActions* actions() const { return m_actions; }

private:
    void reload(const QString& select = {});

    MockService& m_mocks;
    QListWidget* m_list;
    MockMethodActions* m_actions;
};

} // namespace rpcbench
