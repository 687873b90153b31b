/** The TLS settings a ZooKeeper server gets in ZOO_CFG_EXTRA, as the unit tests expect them, in order. */
export const ZOOKEEPER_TLS_SETTINGS = [
    "secureClientPort=2181",
    "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
    "ssl.clientAuth=need",
    "ssl.keyStore.location=/conf/tls/node.pem",
    "ssl.keyStore.type=PEM",
    "ssl.trustStore.location=/conf/tls/client-ca.pem",
    "ssl.trustStore.type=PEM",
    "sslQuorum=true",
    "ssl.quorum.clientAuth=need",
    "ssl.quorum.keyStore.location=/conf/tls/node.pem",
    "ssl.quorum.keyStore.type=PEM",
    "ssl.quorum.trustStore.location=/conf/tls/quorum-ca.pem",
    "ssl.quorum.trustStore.type=PEM",
    "ssl.quorum.hostnameVerification=false",
];
