"""Stand-in for pika (AMQP): only deriva-py's polling catalog uses it."""
class exceptions:
    class AMQPConnectionError(Exception):
        pass
