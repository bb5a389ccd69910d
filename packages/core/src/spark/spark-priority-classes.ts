import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { requireThat } from '../primitives/errors.js';
import { requireIntegerInRange, requireObjectName } from '../primitives/kubernetes-names.js';

export const DEFAULT_SPARK_PRIORITY_CLASS_NAMES = { driver: 'spark-driver', executor: 'spark-executor' } as const;

export interface SparkPriorityClassesProps {
  /** Name of the driver PriorityClass. @default 'spark-driver' */
  readonly driverName?: string;
  /** Name of the executor PriorityClass. @default 'spark-executor' */
  readonly executorName?: string;
  /** Driver priority; must exceed the executor's. @default 1000 */
  readonly driverValue?: number;
  /** Executor priority. @default 100 */
  readonly executorValue?: number;
}

/** User-defined priorities stop at one billion; higher values are reserved for system-critical classes. */
const MAX_USER_PRIORITY = 1_000_000_000;

/**
 * PriorityClasses that rank Spark drivers above executors: under pressure the scheduler evicts executors (whose work
 * Spark recomputes) before drivers (whose loss fails the job).
 *
 * @example
 * ```ts
 * import { App, Chart } from 'cdk8s';
 * import { SparkPriorityClasses } from '@emr-eks-gitops/core';
 *
 * const chart = new Chart(new App(), 'scheduling');
 * const priorities = new SparkPriorityClasses(chart, 'spark');
 * // SparkPodTemplates' priorityClassNames defaults to these classes' names
 * ```
 */
export class SparkPriorityClasses extends Construct {
  readonly driverName: string;
  readonly executorName: string;

  constructor(scope: Construct, id: string, props: SparkPriorityClassesProps = {}) {
    super(scope, id);
    this.driverName = props.driverName ?? DEFAULT_SPARK_PRIORITY_CLASS_NAMES.driver;
    this.executorName = props.executorName ?? DEFAULT_SPARK_PRIORITY_CLASS_NAMES.executor;
    const driverValue = props.driverValue ?? 1000;
    const executorValue = props.executorValue ?? 100;
    requireObjectName(this.driverName, 'driverName');
    requireObjectName(this.executorName, 'executorName');
    requireThat(this.driverName !== this.executorName, 'executorName', 'must differ from driverName');
    requireIntegerInRange(driverValue, -MAX_USER_PRIORITY, MAX_USER_PRIORITY, 'driverValue');
    requireIntegerInRange(executorValue, -MAX_USER_PRIORITY, MAX_USER_PRIORITY, 'executorValue');
    requireThat(
      driverValue > executorValue,
      'driverValue',
      `${driverValue} must be greater than executorValue ${executorValue}`,
    );

    new k8s.KubePriorityClass(this, 'Driver', {
      metadata: { name: this.driverName },
      value: driverValue,
      globalDefault: false,
      description: 'Spark drivers: losing one fails the job, so they outrank executors.',
    });
    new k8s.KubePriorityClass(this, 'Executor', {
      metadata: { name: this.executorName },
      value: executorValue,
      globalDefault: false,
      description: 'Spark executors: their work is recomputed when lost.',
    });
  }
}
