import { describeIdentitySuite, describeStoreContract } from '@tessera/testkit';
import { pgMemLeg } from './legs.js';

describeStoreContract(pgMemLeg());
describeIdentitySuite(pgMemLeg());
