import { describeIdentitySuite, describeStoreContract, pgMemLeg } from '../src/index.js';

describeStoreContract(pgMemLeg());
describeIdentitySuite(pgMemLeg());
