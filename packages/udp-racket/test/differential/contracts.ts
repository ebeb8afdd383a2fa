import { group } from './harness.js';
const { list } = group('contracts');
export default list;
